"""The demo office's register: ~200 believable relations, created through the services.

Agencies the office deals with (Belastingdienst offices, banks, KVK, UWV, notaries ...),
clients of every party type and legal form, prospects and suppliers, with contact persons
and addresses; Dutch names and numbers that pass their checks. Deterministic (fixed seed).
"""

from __future__ import annotations

import random
from typing import Any

from server.services import contacts, relations
from server.services.sample_data import DEPARTMENTS, JOB_TITLES, Place, Samples

AGENCIES = (
    ("Belastingdienst kantoor Utrecht", "TAX_AUTHORITY", "Utrecht"),
    ("Belastingdienst kantoor Amsterdam", "TAX_AUTHORITY", "Amsterdam"),
    ("Belastingdienst kantoor Eindhoven", "TAX_AUTHORITY", "Eindhoven"),
    ("Belastingdienst kantoor Groningen", "TAX_AUTHORITY", "Groningen"),
    ("ABN AMRO Bank N.V.", "BANK", "Amsterdam"),
    ("ING Bank N.V.", "BANK", "Amsterdam"),
    ("Coöperatieve Rabobank U.A.", "BANK", "Utrecht"),
    ("Kamer van Koophandel", "CHAMBER_OF_COMMERCE", "Utrecht"),
    ("UWV", "EMPLOYEE_INSURANCE_AGENCY", "Amsterdam"),
    ("Notariskantoor De Wit & Partners", "NOTARY", "Utrecht"),
    ("Notariaat Hoekstra Dijkstra", "NOTARY", "Zwolle"),
    ("Onderlinge Verzekeringen Zuiderzon U.A.", "INSURER", "Tilburg"),
    ("Pensioenfonds Metaal en Bouw", "PENSION_FUND", "Den Haag"),
    ("Gemeente Utrecht", "MUNICIPALITY", "Utrecht"),
)
AGENCY_FORMS = {
    "BANK": "NV",
    "NOTARY": "MAATSCHAP",
    "INSURER": "ONDERLINGE_WAARBORGMAATSCHAPPIJ",
    "PENSION_FUND": "STICHTING",
}
CLIENT_FORMS = (
    ("EENMANSZAAK", 18), ("BV", 22), ("VOF", 8), ("MAATSCHAP", 3), ("CV", 1), ("NV", 2),
    ("STICHTING", 5), ("VERENIGING", 4), ("VERENIGING_VAN_EIGENAARS", 2), ("COOPERATIE", 2),
    ("SE", 1), ("SCE", 1), ("KERKGENOOTSCHAP", 1), ("REDERIJ", 1), ("BUITENLANDSE_RECHTSVORM", 1),
)  # fmt: skip
PERSONS = 100
SUPPLIERS = 12


class DemoRegister:
    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.samples = Samples(self.rng)
        self.ids: list[str] = []

    async def create(self, data: dict[str, Any]) -> str:
        rid = await relations.create_relation(None, data)
        self.ids.append(rid)
        return rid

    def address(self, place: Place, kind: str = "VISITING") -> dict[str, Any]:
        return {"type": kind, "street": place.street, "houseNumber": place.house_number,
                "postalCode": place.postal_code, "city": place.city}  # fmt: skip

    async def agencies(self) -> None:
        for name, agency, city in AGENCIES:
            place = self.samples.place()
            place = Place(place.street, place.house_number, place.postal_code, city, "30")
            form = AGENCY_FORMS.get(agency, "PUBLIEKRECHTELIJKE_RECHTSPERSOON")
            org = {"legalName": name, "kvkNumber": self.samples.kvk()}
            rid = await self.create({
                "partyType": "ORGANISATION", "kinds": ["AGENCY"], "agencyType": agency,
                "legalForm": form, "organisation": org, "addresses": [self.address(place)],
                "phone": self.samples.phone("30"),
            })  # fmt: skip
            await self.contacts(rid, name, self.rng.choice((1, 2)))

    async def persons(self) -> list[str]:
        made = []
        for index in range(PERSONS):
            name = self.samples.person_name()
            prospect = index % 9 == 8
            person = {**name, "dateOfBirth": self.samples.birth_date().isoformat()}
            if not prospect:
                person["bsn"] = self.samples.bsn()
            place = self.samples.place()
            made.append(await self.create({
                "partyType": "PERSON", "kinds": ["PROSPECT" if prospect else "CLIENT"],
                "person": person, "addresses": [self.address(place)],
                "email": self.samples.email(str(name["givenName"]), str(name["lastName"])),
                "phone": self.samples.mobile(),
            }))  # fmt: skip
        return made

    async def organisations(self, owners: list[str]) -> None:
        forms = [form for form, count in CLIENT_FORMS for _ in range(count)]
        for index, form in enumerate(forms):
            kinds = ["PROSPECT"] if index % 10 == 9 else ["CLIENT"]
            rid = await self.create(self.organisation(form, kinds))
            await self.contacts(rid, None, self.rng.choice((0, 1, 1, 2, 3)))
            if owners and form in ("EENMANSZAAK", "BV", "VOF"):
                owner = owners.pop()  # the entrepreneur is a client too: stored once
                await contacts.add_contact(None, rid, {"personId": owner, "jobTitle": "Eigenaar",
                                                        "isPrimary": True})  # fmt: skip
        for _ in range(SUPPLIERS):
            rid = await self.create(self.organisation("BV", ["SUPPLIER"]))
            await self.contacts(rid, None, 1)

    def organisation(self, form: str, kinds: list[str]) -> dict[str, Any]:
        samples = self.samples
        place = samples.place()
        name = samples.company_name(form, place.city)
        founded = samples.birth_date().replace(year=self.rng.randrange(1950, 2024))
        org: dict[str, Any] = {
            "legalName": name, "kvkNumber": samples.kvk(), "foundedOn": founded.isoformat()
        }  # fmt: skip
        if form == "EENMANSZAAK":
            org["vatNumber"] = samples.vat_sole_trader()
        elif form != "BUITENLANDSE_RECHTSVORM":
            rsin = samples.rsin()
            org.update(rsin=rsin, vatNumber=samples.vat_for_rsin(rsin))
        domain = samples.domain_for(name)
        data: dict[str, Any] = {"partyType": "ORGANISATION", "kinds": kinds, "legalForm": form,
                "organisation": org, "addresses": [self.address(place)],
                "email": f"info@{domain}", "phone": samples.phone(place.area_code),
                "website": f"www.{domain}"}  # fmt: skip
        if form in ("BV", "NV", "SE", "COOPERATIE", "STICHTING"):
            size = self.rng.choice(("MICRO", "SMALL", "SMALL", "MEDIUM"))
            data["sbr"] = {"registeredSeat": place.city, "sizeCategory": size,
                           "financialYearStart": "01-01", "consolidates": False}  # fmt: skip
            data["addresses"].append(self.address(place, "REGISTERED_OFFICE"))
        return data

    async def contacts(self, rid: str, domain_of: str | None, count: int) -> None:
        for index in range(count):
            name = self.samples.person_name()
            await contacts.add_contact(None, rid, {
                "initials": name["initials"], "firstName": name["givenName"],
                "prefix": name["prefix"], "lastName": name["lastName"],
                "jobTitle": self.rng.choice(JOB_TITLES), "department": self.rng.choice(DEPARTMENTS),
                "mobile": self.samples.mobile(), "isPrimary": index == 0,
                "email": self.samples.email(str(name["givenName"]), str(name["lastName"]),
                                            self.samples.domain_for(domain_of or "relatie")),
            })  # fmt: skip


async def seed_register() -> list[str]:
    """Create the demo relations; returns their ids (for the graph seeder)."""
    demo = DemoRegister()
    await demo.agencies()
    persons = await demo.persons()
    owners = persons[:40]
    await demo.organisations(owners)
    return demo.ids
