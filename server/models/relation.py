"""The register: relations (persons and organisations), their addresses and contact persons."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Relation(Model):
    """A person or organisation the office deals with: client, supplier, agency ...

    Person and organisation details live on this row (one of the two blocks is filled,
    by party_type) so that the card's identity is one row read. kinds_mask is a bit
    set of RelationKind, so several kinds filter with one indexed integer.
    """

    id = fields.UUIDField(primary_key=True)
    number = fields.CharField(max_length=20, unique=True)
    party_type = fields.CharField(max_length=16)
    kinds_mask = fields.IntField(default=0, db_index=True)
    agency_type = fields.CharField(max_length=40, null=True)
    status = fields.CharField(max_length=16, default="ACTIVE", db_index=True)
    legal_form = fields.CharField(max_length=40, null=True, db_index=True)
    tax_regime = fields.CharField(max_length=16, default="NONE")
    tax_regime_explicit = fields.BooleanField(default=False)
    display_name = fields.CharField(max_length=300)
    sort_name = fields.CharField(max_length=300, db_index=True)

    # person details
    initials = fields.CharField(max_length=40, null=True)
    first_names = fields.CharField(max_length=200, null=True)
    given_name = fields.CharField(max_length=100, null=True)
    prefix = fields.CharField(max_length=40, null=True)
    last_name = fields.CharField(max_length=200, null=True)
    date_of_birth = fields.DateField(null=True)
    # The BSN is stored encrypted; bsn_index is a keyed hash for uniqueness checks.
    bsn_encrypted = fields.TextField(null=True)
    bsn_index = fields.CharField(max_length=64, null=True, unique=True)
    bsn_last_digits = fields.CharField(max_length=4, null=True)

    # organisation details
    legal_name = fields.CharField(max_length=300, null=True)
    trade_names = fields.JSONField(default=list)
    kvk_number = fields.CharField(max_length=8, null=True, unique=True)
    establishment_number = fields.CharField(max_length=12, null=True)
    rsin = fields.CharField(max_length=9, null=True, db_index=True)
    vat_number = fields.CharField(max_length=14, null=True, db_index=True)
    payroll_tax_number = fields.CharField(max_length=12, null=True)
    sbi_codes = fields.JSONField(default=list)
    founded_on = fields.DateField(null=True)

    # SBR profile
    sbr_registered_seat = fields.CharField(max_length=200, null=True)
    sbr_size_category = fields.CharField(max_length=10, null=True)
    sbr_financial_year_start = fields.CharField(max_length=5, null=True)
    sbr_reporting_currency = fields.CharField(max_length=3, default="EUR")
    sbr_consolidates = fields.BooleanField(null=True)
    sbr_filing_contact_id = fields.UUIDField(null=True)

    email = fields.CharField(max_length=320, null=True)
    phone = fields.CharField(max_length=32, null=True)
    website = fields.CharField(max_length=500, null=True)

    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    archived_at = fields.DatetimeField(null=True)

    class Meta:
        table = "relation"


class Address(Model):
    id = fields.UUIDField(primary_key=True)
    relation: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation", related_name="addresses", on_delete=fields.CASCADE, db_index=True
    )
    type = fields.CharField(max_length=20)
    street = fields.CharField(max_length=200)
    house_number = fields.CharField(max_length=20)
    house_number_addition = fields.CharField(max_length=20, null=True)
    postal_code = fields.CharField(max_length=16, db_index=True)
    city = fields.CharField(max_length=100)
    country_code = fields.CharField(max_length=2, default="NL")
    position = fields.IntField(default=0)

    class Meta:
        table = "address"


class ContactPerson(Model):
    """A contact person at a relation, person links the same human's own relation."""

    id = fields.UUIDField(primary_key=True)
    relation: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="contacts",
        on_delete=fields.CASCADE,
        db_index=True,
    )
    initials = fields.CharField(max_length=40, null=True)
    first_name = fields.CharField(max_length=100, null=True)
    prefix = fields.CharField(max_length=40, null=True)
    last_name = fields.CharField(max_length=200)
    department = fields.CharField(max_length=200, null=True)
    job_title = fields.CharField(max_length=200, null=True)
    phone = fields.CharField(max_length=32, null=True)
    mobile = fields.CharField(max_length=32, null=True)
    email = fields.CharField(max_length=320, null=True, db_index=True)
    is_primary = fields.BooleanField(default=False)
    person: fields.ForeignKeyNullableRelation[Relation] = fields.ForeignKeyField(
        "models.Relation",
        related_name="contact_roles",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=True,
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "contact_person"


class RelationSearchToken(Model):
    """One folded word of a relation's searchable text (names, numbers, contacts, postcodes).

    Prefix search on an indexed token column is fast on both engines and never holds a BSN.
    The relation's sort name, status, party type, kinds and legal form are copied onto each
    token (kept in step by services.search.reindex on every write of the relation), so that
    a search, its filters, its order and its count are read from the token index alone,
    without a lookup of the relation row per candidate.
    """

    id = fields.IntField(primary_key=True)
    relation: fields.ForeignKeyRelation[Relation] = fields.ForeignKeyField(
        "models.Relation", related_name="search_tokens", on_delete=fields.CASCADE
    )
    token = fields.CharField(max_length=64)
    sort_name = fields.CharField(max_length=300, default="")
    status = fields.CharField(max_length=16, default="ACTIVE")
    party_type = fields.CharField(max_length=16, default="")
    kinds_mask = fields.IntField(default=0)
    legal_form = fields.CharField(max_length=40, null=True)

    class Meta:
        table = "relation_search_token"
        indexes = (
            # covering: prefix range on token, then order, filters and count from the index
            (
                "token",
                "sort_name",
                "relation_id",
                "status",
                "party_type",
                "kinds_mask",
                "legal_form",
            ),
            # "does this relation also have a word starting with ...", and reindex deletes
            ("relation_id", "token"),
        )


class Counter(Model):
    """Named counters, e.g. the next relation number (locked row on PostgreSQL)."""

    name = fields.CharField(max_length=40, primary_key=True)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "counter"
