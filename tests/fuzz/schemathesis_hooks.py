"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS): our custom scalars, our own checks.

IDs: random ones stop every operation at NOT_FOUND before it reaches the code worth fuzzing,
so an `ID` is, as often as not, one of the office's own (relations, contacts, employees, links,
holdings, appointments, accounts, snapshots, fields, systems), read from the file named by
RELATIEBEHEER_FUZZ_IDS_FILE (one per line) when it is set. Calendar connections are left out
on purpose: syncing a real one would reach beyond this machine.
"""

import json
import os
from pathlib import Path

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

schemathesis.graphql.scalar(
    "Decimal",
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False).map(
        lambda d: nodes.String(str(d))
    ),
)

_IDS_FILE = os.environ.get("RELATIEBEHEER_FUZZ_IDS_FILE")
_KNOWN_IDS = Path(_IDS_FILE).read_text().split() if _IDS_FILE else []
_RANDOM_ID = st.one_of(st.uuids().map(str), st.text(max_size=40))
schemathesis.graphql.scalar(
    "ID",
    (st.one_of(st.sampled_from(_KNOWN_IDS), _RANDOM_ID) if _KNOWN_IDS else _RANDOM_ID).map(
        nodes.String
    ),
)


@schemathesis.check
def no_unhandled_error(ctx, response, case):
    """A 200 answer may carry errors, but never one the server did not handle.

    server/schema/extensions.py MaskUnexpectedErrors turns an unhandled exception into an
    error with extensions.code INTERNAL_SERVER_ERROR and a request id (the traceback is in the
    server's log under that id); expected refusals carry their own codes.
    """
    try:
        body = json.loads(response.content)
    except ValueError:
        return None  # not JSON: not_a_server_error judges the status
    errors = body.get("errors") if isinstance(body, dict) else None
    for error in errors or []:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        if isinstance(extensions, dict) and extensions.get("code") == "INTERNAL_SERVER_ERROR":
            raise AssertionError(
                f"unhandled error at {error.get('path')}, request id {extensions.get('requestId')}"
            )
    return None


@schemathesis.check
def stays_signed_in(ctx, response, case):
    """A 401 means the token stopped working: every later answer would be a refusal, vacuous."""
    if response.status_code == 401:
        raise AssertionError("the server no longer accepts our access token")
    return None
