"""Believable Dutch sample data for the demo office and the benchmark: names, places and
numbers that pass their real checks (BSN/RSIN 11-proef, btw-id, KvK, postcodes, phones).

Deterministic for a given `random.Random`; numbers are unique per `Samples` instance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from server.services.identifiers import fold


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _split_prefix(full: str) -> tuple[str | None, str]:
    """ "van den Berg" -> ("van den", "Berg"): the tussenvoegsel is the lower-case head."""
    words = full.split(" ")
    head = [w for w in words[:-1] if w[0].islower() or w.startswith("'")]
    rest = words[len(head) :]
    return (" ".join(head) or None, " ".join(rest))


MALE = _names(
    "Jan, Pieter, Kees, Henk, Willem, Gerrit, Johannes, Cornelis, Hendrik, Jacobus, Daan, Sem, "
    "Lucas, Bram, Thijs, Ruben, Joris, Bas, Sander, Martijn, Dennis, Mohamed, Ahmet, Yusuf, "
    "Daniël, Noël, Joël, Mees, Teun, Floris, Wouter, Jeroen, Marco, Erik, Rob, Frank, Arjen, "
    "Sjoerd, Tjeerd, Hidde"
)
FEMALE = _names(
    "Anna, Maria, Johanna, Cornelia, Sanne, Emma, Julia, Sophie, Lotte, Fleur, Eva, Lisa, Anouk, "
    "Femke, Marieke, Ingrid, Wilma, Petra, Monique, Esther, Fatima, Aïcha, Zoë, Chloë, Loïs, "
    "Noëlle, Renée, Inge, Hanneke, Lieke, Tessa, Iris, Nina, Saskia, Marloes, Hélène, Mirjam, "
    "Ilse, Yara, Elif"
)
# (tussenvoegsel, achternaam); diacritics on purpose, the search must ignore them.
LAST_NAMES = tuple(
    _split_prefix(full)
    for full in _names(
        "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, "
        "Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, "
        "Brouwer, de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, Jacobs, "
        "de Haan, Vermeulen, van den Heuvel, van der Veen, van den Broek, de Bruijn, "
        "van der Heijden, Schouten, van Beek, Willems, van Vliet, van de Ven, Hoekstra, Maas, "
        "Verhoeven, Koster, van Dam, van der Wal, Prins, Blom, Huisman, Kuipers, Veenstra, "
        "Kramer, ter Horst, Scholten, van Wijk, Postma, Vink, de Ruiter, Timmermans, Groen, "
        "Gerritsen, Jonker, van Loon, Smeets, de Lange, van Dongen, Schipper, de Koning, "
        "van der Laan, Driessen, van Doorn, Hermans, Evers, Hofman, Bosman, Wolters, Hoogland, "
        "Kaya, el Amrani, Öztürk, Çelik, Nguyen, Bakker-de Wit, 't Hart, Zoetemelk, Brinkman, "
        "Wüstenhoff, Groenewegen, van Rossum, Sánchez, Doğan"
    )
)
COMPANY_WORDS = _names(
    "Zonnebloem, Eendracht, Vooruit, Horizon, Noorderlicht, Duinzicht, Polderland, Groenrijk, "
    "Waterland, Rivierenland, Kempenland, Veluwezoom, Achterhoek, Oranjeboom, Lindehof, "
    "Vlinderhof, Zeezicht, Heideveld, Molenwiek, Korenschoof, Zuiderzon, Dijkgraaf, Klaverblad, "
    "Tulpenveld, Wadden, Regenboog, Morgenster, Havenlicht, Beukenhof, Eikenlaan"
)
TRADES = (
    "Installatietechniek",
    "Transport",
    "Bouw",
    "Schilderwerken",
    "Advies",
    "Consultancy",
    "Vastgoed",
    "Metaalbewerking",
    "Hoveniers",
    "Timmerwerken",
    "Loonwerk",
    "Logistiek",
    "ICT",
    "Elektrotechniek",
    "Makelaardij",
    "Groothandel",
    "Catering",
    "Dakwerken",
)
SHOPS = (
    "Bakkerij",
    "Slagerij",
    "Autobedrijf",
    "Kapsalon",
    "Café",
    "Fietsenmaker",
    "Tandartspraktijk",
    "Fysiotherapie",
    "Bloemisterij",
    "Melkveebedrijf",
)
# (city, first and last 4-digit postcode, area code)
CITIES = (
    ("Amsterdam", 1011, 1109, "20"),
    ("Rotterdam", 3011, 3089, "10"),
    ("Den Haag", 2491, 2597, "70"),
    ("Utrecht", 3511, 3585, "30"),
    ("Eindhoven", 5611, 5658, "40"),
    ("Groningen", 9711, 9747, "50"),
    ("Tilburg", 5011, 5049, "13"),
    ("Almere", 1311, 1363, "36"),
    ("Breda", 4811, 4839, "76"),
    ("Nijmegen", 6511, 6546, "24"),
    ("Apeldoorn", 7311, 7339, "55"),
    ("Haarlem", 2011, 2037, "23"),
    ("Arnhem", 6811, 6846, "26"),
    ("Enschede", 7511, 7548, "53"),
    ("Amersfoort", 3811, 3829, "33"),
    ("Zwolle", 8011, 8043, "38"),
    ("Leeuwarden", 8911, 8941, "58"),
    ("Maastricht", 6211, 6229, "43"),
    ("Leiden", 2311, 2334, "71"),
    ("'s-Hertogenbosch", 5211, 5247, "73"),
    ("Dordrecht", 3311, 3329, "78"),
    ("Alkmaar", 1811, 1834, "72"),
    ("Deventer", 7411, 7443, "570"),
    ("Middelburg", 4331, 4339, "118"),
)
STREETS = (
    "Kerkstraat",
    "Dorpsstraat",
    "Schoolstraat",
    "Molenweg",
    "Stationsweg",
    "Hoofdstraat",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Prins Bernhardlaan",
    "Lindelaan",
    "Industrieweg",
    "Nieuwstraat",
    "Marktplein",
    "Havenkade",
    "Kanaalweg",
    "Parallelweg",
    "Eikenlaan",
    "Berkenlaan",
    "Sportlaan",
    "Emmastraat",
    "Oranjestraat",
    "Zuiderdiep",
)
CLUBS = ("Voetbalvereniging", "Tennisvereniging", "Muziekvereniging", "Vereniging")
MAIL_PROVIDERS = ("gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.com", "outlook.com", "xs4all.nl")
JOB_TITLES = (
    "Directeur",
    "Eigenaar",
    "Financieel manager",
    "Office manager",
    "Controller",
    "Bedrijfsleider",
    "HR-adviseur",
    "Administrateur",
    "Penningmeester",
    "Secretaris",
)
DEPARTMENTS = ("Directie", "Financiën", "Administratie", "HR", "Inkoop", "Verkoop", None)


@dataclass(frozen=True)
class Place:
    street: str
    house_number: str
    postal_code: str
    city: str
    area_code: str


class Samples:
    """Random but valid Dutch data; numbers handed out once each."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._used: set[str] = set()

    def _unique(self, make: object) -> str:
        while True:
            value = make()  # type: ignore[operator]
            if value not in self._used:
                self._used.add(value)
                return str(value)

    def _eleven_proof(self) -> str:
        while True:
            digits = [self.rng.randrange(10) for _ in range(8)]
            check = sum((9 - i) * d for i, d in enumerate(digits)) % 11
            if check < 10 and any(digits):
                return "".join(map(str, digits)) + str(check)

    def bsn(self) -> str:
        return self._unique(self._eleven_proof)

    def rsin(self) -> str:
        return self._unique(self._eleven_proof)

    def kvk(self) -> str:
        return self._unique(lambda: str(self.rng.randrange(10_000_000, 100_000_000)))

    def establishment_number(self) -> str:
        return self._unique(lambda: f"{self.rng.randrange(10**11, 10**12):012d}")

    def vat_for_rsin(self, rsin: str) -> str:
        return f"NL{rsin}B01"

    def vat_sole_trader(self) -> str:
        """A btw-id of the 2020 kind (ISO 7064 mod 97-10 over the whole string)."""
        digits = f"{self.rng.randrange(10**9):09d}"
        check = (1 - int("2321" + digits + "11") * 100) % 97
        return f"NL{digits}B{check + 97 if check < 2 else check:02d}"

    def payroll_tax_number(self, rsin: str) -> str:
        return f"{rsin}L01"

    def place(self) -> Place:
        city, low, high, area = self.rng.choice(CITIES)
        letters = self.rng.choice("ABCDEGHJKLMNPRTVWXZ") + self.rng.choice("ABCDEGHJKLMNPRTVWXZ")
        return Place(
            street=self.rng.choice(STREETS),
            house_number=str(self.rng.randrange(1, 250)),
            postal_code=f"{self.rng.randrange(low, high + 1)}{letters}",
            city=city,
            area_code=area,
        )

    def phone(self, area_code: str) -> str:
        rest = 8 - len(area_code)  # 9 national digits: area code, then a subscriber number
        return f"+31{area_code}{self.rng.randrange(2, 10)}{self.rng.randrange(10**rest):0{rest}d}"

    def mobile(self) -> str:
        return f"+316{self.rng.randrange(1, 6)}{self.rng.randrange(10**7):07d}"

    def person_name(self) -> dict[str, str | None]:
        female = self.rng.random() < 0.5
        names = self.rng.sample(FEMALE if female else MALE, self.rng.choice((1, 1, 2, 3)))
        prefix, last = self.rng.choice(LAST_NAMES)
        return {
            "initials": "".join(n[0] + "." for n in names),
            "firstNames": " ".join(names),
            "givenName": names[0],
            "prefix": prefix,
            "lastName": last,
        }

    def birth_date(self) -> date:
        return date(1940, 1, 1) + timedelta(days=self.rng.randrange(365 * 65))

    def email(self, given: str, last: str, domain: str | None = None) -> str:
        local = "".join(ch for ch in fold(f"{given}.{last}") if ch.isalnum() or ch in ".-")
        return f"{local}@{domain or self.rng.choice(MAIL_PROVIDERS)}"

    def company_name(self, legal_form: str, city: str) -> str:
        rng = self.rng
        _, last = rng.choice(LAST_NAMES)
        word = rng.choice(COMPANY_WORDS)
        base = rng.choice(
            (
                f"{last} {rng.choice(TRADES)}",
                f"{rng.choice(SHOPS)} {last}",
                f"{word} {rng.choice(TRADES)}",
                f"{last} & Zn.",
            )
        )
        return {
            "BV": f"{base} B.V.",
            "NV": f"{word} Groep N.V.",
            "SE": f"{word} Europe SE",
            "VOF": f"{base} V.O.F.",
            "CV": f"{word} Beleggingen C.V.",
            "MAATSCHAP": f"Maatschap {last} en {rng.choice(LAST_NAMES)[1]}",
            "STICHTING": f"Stichting {word}",
            "VERENIGING": f"{rng.choice(CLUBS)} {word}",
            "VERENIGING_VAN_EIGENAARS": f"VvE {rng.choice(STREETS)} {rng.randrange(1, 90)}",
            "COOPERATIE": f"Coöperatie {word} U.A.",
            "SCE": f"{word} Europese Coöperatie SCE",
            "ONDERLINGE_WAARBORGMAATSCHAPPIJ": f"Onderlinge Waarborgmaatschappij {word} U.A.",
            "KERKGENOOTSCHAP": f"Protestantse Gemeente {city}",
            "PUBLIEKRECHTELIJKE_RECHTSPERSOON": f"Waterschap {word}",
            "BUITENLANDSE_RECHTSVORM": f"{word} {rng.choice(('GmbH', 'Ltd', 'BVBA', 'SARL'))}",
            "REDERIJ": f"Rederij {last}",
        }.get(legal_form, base)

    def domain_for(self, name: str) -> str:
        stem = "".join(ch for ch in fold(name).split(" b.v.")[0] if ch.isalnum())
        return f"{stem[:24] or 'bedrijf'}.nl"
