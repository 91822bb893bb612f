"""A large, realistic register for benchmarks: `python -m bench.generate --relations 100000`.

Rows are built in Python with the same naming and search-token functions the services use
(relation_fields.names_of, search_index.token_rows) and written with executemany; the token
indexes are built once at the end. 100,000 relations take about 2.5 minutes on 2 vCPUs.
No history rows: a benchmark needs none. The seed makes the data set identical every run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rich.progress import Progress
from tortoise.connection import get_connection
from tortoise.models import Model

from server import db
from server.auth import secretbox
from server.models import Address, ContactPerson, Counter, Relation, RelationSearchToken
from server.services.numbering import RELATION_COUNTER, relation_number
from server.services.relation_fields import derive_tax_regime, names_of
from server.services.relation_rows import mask_from_kinds
from server.services.sample_data import DEPARTMENTS, JOB_TITLES, Samples
from server.services.search_index import token_rows

LEGAL_FORMS = {  # share of organisations, roughly an office's client base
    "EENMANSZAAK": 30, "BV": 30, "VOF": 9, "MAATSCHAP": 3, "CV": 1, "NV": 1, "SE": 0.2,
    "STICHTING": 8, "VERENIGING": 6, "VERENIGING_VAN_EIGENAARS": 3, "COOPERATIE": 2,
    "SCE": 0.1, "ONDERLINGE_WAARBORGMAATSCHAPPIJ": 0.2, "KERKGENOOTSCHAP": 0.5,
    "REDERIJ": 0.2, "PUBLIEKRECHTELIJKE_RECHTSPERSOON": 0.3, "BUITENLANDSE_RECHTSVORM": 1,
    "OVERIG": 0.5,
}  # fmt: skip
KIND_SETS = (
    (["CLIENT"], 68), (["PROSPECT"], 14), (["SUPPLIER"], 9), (["CLIENT", "SUPPLIER"], 3),
    (["BUSINESS_PARTNER"], 3), (["AGENCY"], 1), (["OTHER"], 2),
)  # fmt: skip
STATUSES = (("ACTIVE", 85), ("INACTIVE", 10), ("ARCHIVED", 5))
BATCH = 2000


class Generator:
    """Builds one relation at a time, with its addresses, contacts and tokens."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.samples = Samples(self.rng)
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        forms = list(LEGAL_FORMS.items())
        self.forms, self.form_weights = [f for f, _ in forms], [w for _, w in forms]

    def _pick(self, options: Sequence[tuple[Any, float]]) -> Any:
        return self.rng.choices([o for o, _ in options], [w for _, w in options])[0]

    def relation(self, index: int) -> tuple[dict, list[dict], list[dict]]:
        rng = self.rng
        kinds = self._pick(KIND_SETS)
        created = self.now - timedelta(days=rng.randrange(3650), seconds=rng.randrange(86400))
        row: dict[str, Any] = dict(_DEFAULTS)
        row.update(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            number=relation_number(index + 1),
            kinds_mask=mask_from_kinds(kinds),
            agency_type="OTHER" if "AGENCY" in kinds else None,
            status=self._pick(STATUSES),
            created_at=created,
            updated_at=created,
        )
        place = self.samples.place()
        if rng.random() < 0.45:
            self._person(row, place, with_bsn="CLIENT" in kinds and rng.random() < 0.9)
            contacts: list[dict] = []
        else:
            self._organisation(row, place)
            contacts = [self._contact(row, i) for i in range(rng.choice((0, 1, 1, 2, 2, 3, 4)))]
        if row["status"] == "ARCHIVED":
            row["archived_at"] = created + timedelta(days=30)
        row.update(names_of(row))
        row["tax_regime"] = derive_tax_regime(row["party_type"], row["legal_form"])
        return row, self._addresses(row, place), contacts

    def _person(self, row: dict, place: Any, with_bsn: bool) -> None:
        name = self.samples.person_name()
        row.update(
            party_type="PERSON",
            initials=name["initials"],
            first_names=name["firstNames"],
            given_name=name["givenName"],
            prefix=name["prefix"],
            last_name=name["lastName"],
            date_of_birth=self.samples.birth_date(),
            phone=self.samples.mobile(),
        )
        if self.rng.random() < 0.7:
            row["email"] = self.samples.email(str(name["givenName"]), str(name["lastName"]))
        if with_bsn:
            bsn = self.samples.bsn()
            row.update(
                bsn_encrypted=secretbox.encrypt(bsn),
                bsn_index=secretbox.blind_index("bsn", bsn),
                bsn_last_digits=bsn[-4:],
            )

    def _organisation(self, row: dict, place: Any) -> None:
        rng, samples = self.rng, self.samples
        form = rng.choices(self.forms, self.form_weights)[0]
        legal = samples.company_name(form, place.city)
        row.update(
            party_type="ORGANISATION",
            legal_form=form,
            legal_name=legal,
            kvk_number=samples.kvk(),
            establishment_number=samples.establishment_number(),
            phone=samples.phone(place.area_code),
            email=f"info@{samples.domain_for(legal)}",
            website=f"https://www.{samples.domain_for(legal)}",
            sbi_codes=[rng.choice(("6920", "4321", "5610", "4941", "0141", "8559", "4711"))],
            trade_names=[legal.split(" B.V.")[0]] if rng.random() < 0.3 else [],
        )
        if form == "EENMANSZAAK":
            row["vat_number"] = samples.vat_sole_trader()
        else:
            rsin = samples.rsin()
            row.update(rsin=rsin, vat_number=samples.vat_for_rsin(rsin))
            if rng.random() < 0.5:
                row["payroll_tax_number"] = samples.payroll_tax_number(rsin)
        if form in ("BV", "NV", "SE", "COOPERATIE", "STICHTING"):
            row.update(
                sbr_registered_seat=place.city,
                sbr_size_category=rng.choice(("MICRO", "MICRO", "SMALL", "MEDIUM")),
                sbr_financial_year_start="01-01",
                sbr_consolidates=False,
            )

    def _contact(self, relation: dict, position: int) -> dict:
        name = self.samples.person_name()
        domain = str(relation["email"]).split("@")[1]
        return {
            "id": uuid.UUID(int=self.rng.getrandbits(128), version=4),
            "relation_id": relation["id"],
            "initials": name["initials"],
            "first_name": name["givenName"],
            "prefix": name["prefix"],
            "last_name": name["lastName"],
            "department": self.rng.choice(DEPARTMENTS),
            "job_title": self.rng.choice(JOB_TITLES),
            "phone": None,
            "mobile": self.samples.mobile(),
            "email": self.samples.email(str(name["givenName"]), str(name["lastName"]), domain),
            "is_primary": position == 0,
            "person_id": None,
            "created_at": relation["created_at"],
        }

    def _addresses(self, relation: dict, place: Any) -> list[dict]:
        rows = [self._address(relation, "VISITING", place, 0)]
        if relation["party_type"] == "ORGANISATION" and self.rng.random() < 0.4:
            postbus = self.samples.place()
            rows.append(self._address(relation, "POSTAL", postbus, 1, street="Postbus"))
        return rows

    def _address(
        self, relation: dict, kind: str, place: Any, position: int, street: str = ""
    ) -> dict:
        return {
            "id": uuid.UUID(int=self.rng.getrandbits(128), version=4),
            "relation_id": relation["id"],
            "type": kind,
            "street": street or place.street,
            "house_number": place.house_number,
            "house_number_addition": None,
            "postal_code": place.postal_code,
            "city": place.city,
            "country_code": "NL",
            "position": position,
        }


_DEFAULTS = {
    name: field.default if not callable(field.default) else field.default()
    for name, field in Relation._meta.fields_map.items()
    if name in Relation._meta.fields_db_projection
}


async def ensure_database(url: str) -> None:
    """Create a missing PostgreSQL database (a SQLite file is created by opening it)."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        return
    import asyncpg

    name = parts.path.lstrip("/")
    conn = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def write(url: str, count: int, seed: int) -> dict[str, int]:
    """Create the schema if needed and add `count` relations (the register must be empty)."""
    await ensure_database(url)
    await db.migrate(url)
    await db.init(url)
    try:
        if await Relation.exists():
            raise SystemExit("the database already holds relations; use a fresh file")
        generator = Generator(seed)
        totals = {"relations": 0, "addresses": 0, "contacts": 0, "tokens": 0}
        await _fast_load()
        token_indexes = await db.drop_indexes(
            get_connection("default"), RelationSearchToken._meta.db_table
        )
        with Progress() as progress:
            task = progress.add_task("relations", total=count)
            for start in range(0, count, BATCH):
                n = min(BATCH, count - start)
                await _write_batch(generator, start, n, totals)
                progress.advance(task, n)
            progress.add_task("indexes", total=None)
            conn = get_connection("default")
            for statement in token_indexes:
                await conn.execute_script(statement)
        await Counter.update_or_create(name=RELATION_COUNTER, defaults={"value": count})
        await analyze()
        return totals
    finally:
        await db.close()


async def _write_batch(generator: Generator, start: int, n: int, totals: dict) -> None:
    relations, addresses, contacts, tokens = [], [], [], []
    for index in range(start, start + n):
        relation, rel_addresses, rel_contacts = generator.relation(index)
        relations.append(relation)
        addresses.extend(rel_addresses)
        contacts.extend(rel_contacts)
        tokens.extend(token_rows(relation, rel_addresses, rel_contacts))
    await _insert(Relation, relations)
    await _insert(Address, addresses)
    await _insert(ContactPerson, contacts)
    await _insert(RelationSearchToken, tokens)
    for key, rows in (("relations", relations), ("addresses", addresses)):
        totals[key] += len(rows)
    totals["contacts"] += len(contacts)
    totals["tokens"] += len(tokens)


async def _insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """executemany in one transaction; UUIDs as text on SQLite, lists as JSON text."""
    if not rows:
        return
    conn = get_connection("default")
    columns = list(rows[0])
    postgres = conn.capabilities.dialect == "postgres"
    marks = [f"${i + 1}" if postgres else "?" for i in range(len(columns))]
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({", ".join(marks)})'
    convert = _pg_value if postgres else _sqlite_value
    values = [[convert(row[c]) for c in columns] for row in rows]
    async with conn._in_transaction() as tx:
        await tx.execute_many(sql, values)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    return json.dumps(value) if isinstance(value, list | dict) else value


def _pg_value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, list | dict) else value


async def _fast_load() -> None:
    """A throw-away data set need not survive a power cut while it is written."""
    conn = get_connection("default")
    if conn.capabilities.dialect == "sqlite":
        await conn.execute_script("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")


async def analyze() -> None:
    """Fresh planner statistics and, on PostgreSQL, the visibility map, as a long-running
    installation would have them (autovacuum): without it an index-only scan (the search's
    count, for one) visits the table for every row."""
    conn = get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    await conn.execute_script("VACUUM ANALYZE" if postgres else "ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--db", required=True, help="sqlite:///path or postgres://...")
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    totals = asyncio.run(write(args.db, args.relations, args.seed))
    took = time.perf_counter() - began
    print(", ".join(f"{v} {k}" for k, v in totals.items()) + f" written in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
