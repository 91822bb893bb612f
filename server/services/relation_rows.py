"""Small conversions of relation rows shared by services and the API layer."""

from __future__ import annotations

from collections.abc import Iterable

KINDS = ("CLIENT", "PROSPECT", "SUPPLIER", "BUSINESS_PARTNER", "AGENCY", "OTHER")
KIND_BITS = {kind: 1 << index for index, kind in enumerate(KINDS)}


def mask_from_kinds(kinds: Iterable[str]) -> int:
    mask = 0
    for kind in kinds:
        mask |= KIND_BITS[kind]
    return mask


def kinds_from_mask(mask: int) -> list[str]:
    return [kind for kind in KINDS if mask & KIND_BITS[kind]]
