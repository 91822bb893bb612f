"""Validation and normalisation of Dutch identifiers, phone numbers, e-mail addresses etc.

Every `normalise_*` function takes the raw user string and returns the stored form, or raises
`DomainError(code, message)` with an empty field path (the caller adds the path). Messages
never contain the input: a BSN (and an OB number, which holds one) is personal data under
the UAVG, and echoing other numbers is avoided too. The `format_*` functions turn a stored
value into its display form and return unrecognised values unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum import iban as _iban
from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as _bsn
from stdnum.nl import btw as _btw
from stdnum.nl import postcode as _postcode

from server.errors import Code, DomainError
from server.services.iso_codes import COUNTRY_CODES, CURRENCY_CODES

# Whitespace (incl. non-breaking spaces), dots and the dashes people type or paste.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")
_FOLD_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "æ": "ae",
        "ł": "l",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",
    }
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # a start date exists yearly


def _clean(raw: str) -> str:
    """Strip whitespace, dots and dashes and upper-case the letters."""
    return _SEPARATORS.sub("", raw).upper()


def _eleven_proof(digits: str) -> bool:
    """Whether 9 digits pass the 11-proef (and are not all zeros)."""
    return len(digits) == 9 and _bsn.is_valid(digits)


def fold(text: str) -> str:
    """Lower-case and strip diacritics for search: "Coöperatie" -> "cooperatie"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_FOLD_EXTRA)


def normalise_bsn(raw: str) -> str:
    """A BSN as 9 digits; 8 digits (a dropped leading zero) are padded."""
    number = _clean(raw)
    if not re.fullmatch(r"\d{8,9}", number):
        raise DomainError(Code.INVALID_BSN, "A BSN has 9 digits.")
    number = number.zfill(9)
    if not _eleven_proof(number):
        raise DomainError(Code.INVALID_BSN, "This BSN fails the 11-proef; check for a typo.")
    return number


def mask_bsn(bsn: str) -> str:
    """A stored BSN for display: "*****6782"; anything else is masked completely."""
    digits = re.sub(r"\D", "", bsn)
    return "*****" + digits[-4:] if len(digits) == 9 else "*********"


def normalise_rsin(raw: str) -> str:
    """An RSIN as 9 digits (same 11-proef as the BSN); 8 digits are padded."""
    number = _clean(raw)
    if not re.fullmatch(r"\d{8,9}", number):
        raise DomainError(Code.INVALID_RSIN, "An RSIN has 9 digits.")
    number = number.zfill(9)
    if not _eleven_proof(number):
        raise DomainError(Code.INVALID_RSIN, "This RSIN fails the 11-proef; check for a typo.")
    return number


def normalise_kvk(raw: str) -> str:
    """A KvK number: exactly 8 digits, not starting with "00"."""
    number = _clean(raw)
    if not re.fullmatch(r"\d{8}", number):
        raise DomainError(Code.INVALID_KVK, "A KvK number has exactly 8 digits.")
    if number.startswith("00"):
        raise DomainError(Code.INVALID_KVK, "A KvK number cannot start with 00.")
    return number


def normalise_establishment_number(raw: str) -> str:
    """A vestigingsnummer: exactly 12 digits."""
    number = _clean(raw)
    if not re.fullmatch(r"\d{12}", number):
        raise DomainError(
            Code.INVALID_ESTABLISHMENT_NUMBER, "An establishment number has exactly 12 digits."
        )
    return number


def normalise_vat_number(raw: str) -> str:
    """A Dutch VAT id (btw-id or OB number) as "NL999999999B99"; the NL prefix is optional."""
    number = _clean(raw)
    if not re.fullmatch(r"(NL)?\d{8,9}B\d{2}", number):
        raise DomainError(Code.INVALID_VAT_NUMBER, "A Dutch VAT number looks like NL123456789B01.")
    try:
        return "NL" + _btw.validate(number)
    except ValidationError:
        raise DomainError(
            Code.INVALID_VAT_NUMBER, "This VAT number fails its check; check for a typo."
        ) from None


def normalise_payroll_tax_number(raw: str) -> str:
    """A loonheffingennummer: 9 digits passing the 11-proef + "L" + 2 digits (L01 and up)."""
    match = re.fullmatch(r"(\d{9})L(\d{2})", _clean(raw))
    if not match or match.group(2) == "00":
        raise DomainError(
            Code.INVALID_PAYROLL_TAX_NUMBER, "A payroll tax number looks like 123456789L01."
        )
    if not _eleven_proof(match.group(1)):
        raise DomainError(
            Code.INVALID_PAYROLL_TAX_NUMBER,
            "This payroll tax number fails the 11-proef; check for a typo.",
        )
    return match.group(0)


def normalise_postal_code(raw: str, country_code: str = "NL") -> str:
    """A postal code: compact "1234AB" for NL; otherwise trimmed and upper-cased."""
    if country_code.strip().upper() == "NL":
        try:
            return _postcode.validate(_clean(raw)).replace(" ", "")
        except ValidationError:
            raise DomainError(
                Code.INVALID_POSTAL_CODE, "A Dutch postal code looks like 1234 AB."
            ) from None
    code = " ".join(raw.split()).upper()
    if not code or len(code) > 16 or not re.fullmatch(r"[A-Z0-9 \-]+", code):
        raise DomainError(
            Code.INVALID_POSTAL_CODE,
            "A postal code has at most 16 letters, digits, spaces or hyphens.",
        )
    return code


def format_postal_code(stored: str, country_code: str = "NL") -> str:
    """A stored postal code for display: "1234 AB" for NL."""
    if country_code.strip().upper() == "NL" and re.fullmatch(r"\d{4}[A-Z]{2}", stored):
        return f"{stored[:4]} {stored[4:]}"
    return stored


def normalise_phone(raw: str, region: str = "NL") -> str:
    """A phone number in E.164 ("+31201234567"); national numbers are read for `region`."""
    try:
        number = phonenumbers.parse(raw, region.strip().upper())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(Code.INVALID_PHONE, "Enter a valid phone number, e.g. 020 123 4567.")
    if number.extension:
        raise DomainError(Code.INVALID_PHONE, "Enter the phone number without an extension.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str, region: str = "NL") -> str:
    """A stored E.164 number for display: national format in `region`, else international."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region.strip().upper():
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(raw: str) -> str:
    """An e-mail address, normalised by email-validator (domain lower-cased); no DNS lookup."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise DomainError(
            Code.INVALID_EMAIL, "Enter a valid e-mail address, e.g. name@example.nl."
        ) from None


def normalise_iban(raw: str) -> str:
    """An IBAN in compact form ("NL91ABNA0417164300"), checked with ISO 7064 mod 97."""
    try:
        return _iban.validate(_clean(raw))
    except ValidationError:
        raise DomainError(
            Code.INVALID_IBAN, "Enter a valid IBAN, e.g. NL91 ABNA 0417 1643 00."
        ) from None


def format_iban(compact: str) -> str:
    """A compact IBAN for display, in groups of 4."""
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def normalise_website(raw: str) -> str:
    """A website URL such as "https://example.nl"; https:// is added when no scheme is given."""
    error = DomainError(Code.INVALID_URL, "Enter a web address such as https://example.nl.")
    url = raw.strip()
    if not url or len(url) > 2000 or any(ch.isspace() for ch in url):
        raise error
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise error from None
    labels = host.split(".")
    if (
        parts.scheme.lower() not in ("http", "https")
        or parts.username is not None
        or len(labels) < 2
        or labels[-1].isdigit()
        or not all(re.fullmatch(r"[^\W_]+(-+[^\W_]+)*", label) for label in labels)
    ):
        raise error
    netloc = host if port is None else f"{host}:{port}"
    path = "" if parts.path == "/" and not parts.query and not parts.fragment else parts.path
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, parts.fragment))


def normalise_sbi_code(raw: str) -> str:
    """An SBI code as 2 to 5 digits ("62.01" -> "6201"); leading zeros are kept."""
    code = _clean(raw)
    if not re.fullmatch(r"\d{2,5}", code):
        raise DomainError(Code.INVALID, "An SBI code has 2 to 5 digits, e.g. 6920.")
    return code


def normalise_country_code(raw: str) -> str:
    """An ISO 3166-1 alpha-2 country code, upper-case ("nl" -> "NL")."""
    code = raw.strip().upper()
    if code not in COUNTRY_CODES:
        raise DomainError(Code.INVALID, "Enter a two-letter ISO country code, e.g. NL.")
    return code


def normalise_financial_year_start(raw: str) -> str:
    """The first day of the financial year as "MM-DD" ("7-1" -> "07-01"); 29 Feb is refused."""
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", raw.strip())
    month, day = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        raise DomainError(
            Code.INVALID, "Enter the start of the financial year as MM-DD, e.g. 01-01."
        )
    return f"{month:02d}-{day:02d}"


def normalise_currency(raw: str) -> str:
    """An active ISO 4217 currency code, upper-case ("eur" -> "EUR")."""
    code = raw.strip().upper()
    if code not in CURRENCY_CODES:
        raise DomainError(Code.INVALID, "Enter a three-letter ISO currency code, e.g. EUR.")
    return code
