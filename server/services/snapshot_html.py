"""A snapshot as one self-contained, print-friendly HTML page with Dutch labels."""

from __future__ import annotations

from html import escape
from typing import Any

# (card key, section title); anything else in the card is shown under its own key.
SECTIONS = (
    ("person", "Persoon"),
    ("organisation", "Organisatie"),
    ("sbr", "SBR-gegevens"),
    ("addresses", "Adressen"),
    ("contacts", "Contactpersonen"),
    ("partnership", "Partner"),
    ("links", "Eigen relaties"),
    ("shareholders", "Aandeelhouders"),
    ("participations", "Deelnemingen"),
    ("group", "Groepsstructuur"),
    ("staff", "Medewerkers van het kantoor"),
    ("appointments", "Afspraken"),
    ("accounts", "Administraties in gekoppelde systemen"),
    ("customFields", "Vrije velden"),
    ("snapshots", "Eerdere momentopnamen"),
)
LABELS = {
    "id": "Id", "number": "Relatienummer", "displayName": "Naam", "partyType": "Soort partij",
    "kinds": "Soorten", "agencyType": "Soort instantie", "status": "Status",
    "legalForm": "Rechtsvorm", "taxRegime": "Belastingregime", "email": "E-mail",
    "phone": "Telefoon", "website": "Website", "createdAt": "Aangemaakt",
    "updatedAt": "Laatst gewijzigd", "initials": "Voorletters", "firstNames": "Voornamen",
    "givenName": "Roepnaam", "prefix": "Tussenvoegsel", "lastName": "Achternaam",
    "dateOfBirth": "Geboortedatum", "bsnMasked": "BSN (gemaskeerd)",
    "legalName": "Statutaire naam", "tradeNames": "Handelsnamen", "kvkNumber": "KvK-nummer",
    "establishmentNumber": "Vestigingsnummer", "rsin": "RSIN", "vatNumber": "Btw-id",
    "payrollTaxNumber": "Loonheffingennummer", "sbiCodes": "SBI-codes",
    "foundedOn": "Opgericht op", "registeredSeat": "Statutaire zetel",
    "sizeCategory": "Grootteklasse", "financialYearStart": "Begin boekjaar",
    "reportingCurrency": "Rapportagevaluta", "consolidates": "Consolideert",
    "filingContact": "Contactpersoon deponering", "type": "Soort", "street": "Straat",
    "houseNumber": "Huisnummer", "houseNumberAddition": "Toevoeging", "postalCode": "Postcode",
    "city": "Plaats", "countryCode": "Land", "department": "Afdeling", "jobTitle": "Functie",
    "mobile": "Mobiel", "isPrimary": "Eerste contactpersoon", "customFields": "Vrije velden",
    "fiscalPartner": "Fiscaal partner", "since": "Sinds", "partner": "Partner",
    "note": "Notitie", "to": "Relatie", "contact": "Contactpersoon",
    "percentage": "Percentage", "fiscalUnityCorporateTax": "Fiscale eenheid Vpb",
    "holder": "Aandeelhouder", "subsidiary": "Deelneming", "depth": "Niveau", "role": "Rol",
    "employee": "Medewerker", "title": "Onderwerp", "start": "Begin", "end": "Einde",
    "location": "Locatie", "employees": "Medewerkers", "contacts": "Contactpersonen",
    "externalId": "Nummer in het systeem", "syncState": "Synchronisatie",
    "system": "Systeem", "definition": "Veld", "value": "Waarde", "takenAt": "Vastgelegd op",
    "reason": "Reden", "contentHash": "Hash",
}  # fmt: skip
STYLE = """
body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 16pt; margin: 0 0 .2em; } h2 { font-size: 12.5pt; margin: 1.4em 0 .4em; }
table { border-collapse: collapse; width: 100%; page-break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #f1f1f1; font-weight: 600; } table.fields th { width: 16em; }
.empty { color: #777; font-style: italic; }
.hash { font-family: ui-monospace, monospace; font-size: 9pt; word-break: break-all; }
footer { margin-top: 2em; font-size: 9pt; color: #444; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } }
"""


ORDER = {key: n for n, key in enumerate(LABELS)}


def label(key: str) -> str:
    return LABELS.get(key, key)


def _ordered(obj: dict[str, Any]) -> list[tuple[str, Any]]:
    # The stored card has sorted keys; show fields in the card's reading order instead.
    return sorted(obj.items(), key=lambda item: (ORDER.get(item[0], len(ORDER)), item[0]))


def text(value: Any) -> str:
    """One value as escaped, readable text (Ja/Nee, — for nothing, summaries for objects)."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, dict):
        return escape(_summary(value))
    if isinstance(value, list):
        return "; ".join(text(v) for v in value)
    return escape(str(value))


def _summary(obj: dict[str, Any]) -> str:
    for name in ("displayName", "name", "label", "title"):
        if obj.get(name):
            extra = obj.get("number") or obj.get("key")
            return f"{obj[name]} ({extra})" if extra else str(obj[name])
    parts = [f"{label(k)}: {v}" for k, v in _ordered(obj) if k != "id" and v not in (None, "")]
    return ", ".join(parts) if parts else "—"


def _fields_table(obj: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(label(k))}</th><td>{text(v)}</td></tr>" for k, v in _ordered(obj)
    )
    return f'<table class="fields">{rows}</table>'


def _list_table(items: list[dict[str, Any]]) -> str:
    keys = {k for item in items for k in item if k != "id"}
    columns = sorted(keys, key=lambda k: (ORDER.get(k, len(ORDER)), k))
    head = "".join(f"<th>{escape(label(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{text(item.get(c))}</td>" for c in columns) + "</tr>"
        for item in items
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _section(title: str, value: Any) -> str:
    if not value:
        content = '<p class="empty">Geen gegevens.</p>'
    elif isinstance(value, dict):
        content = _fields_table(value)
    elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
        content = _list_table(value)
    else:
        content = f"<p>{text(value)}</p>"
    return f"<section><h2>{escape(title)}</h2>{content}</section>"


def _header(document: dict[str, Any], relation: dict[str, Any]) -> str:
    taken_by = document["taken_by"]
    who = f"{taken_by['name']} ({taken_by['email']})" if taken_by else "onbekend"
    rows = [
        ("Relatie", f"{relation.get('displayName', '')} ({relation.get('number', '')})"),
        ("Reden", document["reason"]),
        ("Vastgelegd door", who),
        ("Vastgelegd op (UTC)", document["taken_at"]),
        ("Plaats in de keten", str(document["position"])),
    ]
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    hashes = (
        f'<tr><th>Hash (SHA-256)</th><td class="hash">{escape(document["content_hash"])}</td></tr>'
        f'<tr><th>Vorige hash</th><td class="hash">{escape(document["previous_hash"] or "—")}'
        "</td></tr>"
    )
    return f'<table class="fields">{cells}{hashes}</table>'


def render_html(document: dict[str, Any]) -> str:
    """The snapshot of `export_document` as a standalone HTML page."""
    relation = (document["card"] or {}).get("relation") or {}
    known = {key for key, _ in SECTIONS}
    identity = {
        k: v
        for k, v in relation.items()
        if k not in known and (not isinstance(v, dict | list) or k == "kinds")
    }
    sections = [_section("Relatie", identity)]
    sections += [_section(title, relation.get(key)) for key, title in SECTIONS]
    sections += [
        _section(label(k), v) for k, v in relation.items() if k not in known and k not in identity
    ]
    title = f"Momentopname relatiekaart {relation.get('displayName', '')}"
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{_header(document, relation)}{''.join(sections)}"
        "<footer>Deze momentopname is onveranderlijk opgeslagen. De hash is SHA-256 over de "
        "kaart (canonieke JSON) gevolgd door de vorige hash; <code>relatiebeheer snapshot "
        "verify</code> controleert de hele keten.</footer></body></html>\n"
    )
