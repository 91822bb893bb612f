"""Tests for server.services.identifiers: normalisation and validation of user input."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from server.errors import Code, DomainError
from server.services import identifiers as ids


def assert_refused(func: Callable[[str], str], raw: str, code: Code) -> DomainError:
    """Call `func(raw)`, expect a DomainError with `code` and an empty field path."""
    with pytest.raises(DomainError) as caught:
        func(raw)
    assert caught.value.code == code
    assert caught.value.field == []
    assert caught.value.message
    return caught.value


# --- BSN --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("111222333", "111222333"),
        ("123456782", "123456782"),
        ("004495445", "004495445"),
        ("1234.56.782", "123456782"),
        (" 123 456 782 ", "123456782"),
        ("123-456-782", "123456782"),
        ("1234\u00a056\u201378 2", "123456782"),
        ("04495445", "004495445"),
    ],
)
def test_bsn_with_spaces_dots_and_dashes_is_normalised_to_nine_digits(
    raw: str, expected: str
) -> None:
    assert ids.normalise_bsn(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "123456789",
        "111234567",
        "000000000",
        "4495445",
        "",
        "12345678A",
        "1234567820",
        "BSN123456782",
    ],
)
def test_bsn_that_fails_the_format_or_eleven_proof_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_bsn, raw, Code.INVALID_BSN)


@pytest.mark.parametrize("raw", ["123456789", "111234567", "12345", "1234567890123", "1234.567.89"])
def test_bsn_error_message_never_contains_the_input_digits(raw: str) -> None:
    error = assert_refused(ids.normalise_bsn, raw, Code.INVALID_BSN)
    digits = re.sub(r"\D", "", raw)
    assert digits not in error.message
    assert digits[-4:] not in error.message
    assert not re.search(r"\d{4}", error.message)


@pytest.mark.parametrize(
    ("bsn", "masked"),
    [
        ("123456782", "*****6782"),
        ("004495445", "*****5445"),
        ("", "*********"),
        ("12", "*********"),
    ],
)
def test_bsn_is_masked_to_its_last_four_digits(bsn: str, masked: str) -> None:
    assert ids.mask_bsn(bsn) == masked


# --- RSIN, KvK, vestigingsnummer --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("111222333", "111222333"), ("0044.95.445", "004495445"), (" 1234 56 782", "123456782")],
)
def test_rsin_passing_the_eleven_proof_is_normalised(raw: str, expected: str) -> None:
    assert ids.normalise_rsin(raw) == expected


@pytest.mark.parametrize("raw", ["123456789", "111234567", "000000000", "12345", "", "ABCDEFGHI"])
def test_rsin_that_fails_the_format_or_eleven_proof_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_rsin, raw, Code.INVALID_RSIN)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345678", "12345678"),
        (" 1234 5678 ", "12345678"),
        ("1234.56.78", "12345678"),
        ("01234567", "01234567"),
    ],
)
def test_kvk_number_of_eight_digits_is_normalised(raw: str, expected: str) -> None:
    assert ids.normalise_kvk(raw) == expected


@pytest.mark.parametrize("raw", ["00123456", "1234567", "123456789", "1234567A", "", "KVK12345678"])
def test_kvk_number_with_wrong_length_letters_or_leading_double_zero_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_kvk, raw, Code.INVALID_KVK)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("000012345678", "000012345678"),
        ("0000 1234 5678", "000012345678"),
        ("1234-5678-9012", "123456789012"),
    ],
)
def test_establishment_number_of_twelve_digits_is_normalised(raw: str, expected: str) -> None:
    assert ids.normalise_establishment_number(raw) == expected


@pytest.mark.parametrize("raw", ["12345678901", "1234567890123", "12345678901A", ""])
def test_establishment_number_with_wrong_length_or_letters_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_establishment_number, raw, Code.INVALID_ESTABLISHMENT_NUMBER)


# --- VAT and payroll tax numbers --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NL123456782B01", "NL123456782B01"),
        ("123456782B01", "NL123456782B01"),
        ("nl 1234.56.782 b01", "NL123456782B01"),
        ("NL004495445B01", "NL004495445B01"),
        ("NL04495445B01", "NL004495445B01"),
        ("NL002455799B11", "NL002455799B11"),
        ("NL 0024 55 799 B11", "NL002455799B11"),
    ],
)
def test_vat_number_with_or_without_nl_prefix_is_normalised(raw: str, expected: str) -> None:
    assert ids.normalise_vat_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "NL123456789B01",
        "NL123456782B00",
        "NL123456782",
        "BE123456782B01",
        "NL123456782C01",
        "NL12345678901B01",
        "",
    ],
)
def test_vat_number_that_fails_the_format_or_check_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_vat_number, raw, Code.INVALID_VAT_NUMBER)


def test_vat_number_error_message_never_contains_the_bsn_it_holds() -> None:
    error = assert_refused(ids.normalise_vat_number, "NL123456789B01", Code.INVALID_VAT_NUMBER)
    assert "123456789" not in error.message
    assert "6789" not in error.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123456782L01", "123456782L01"),
        ("1234.56.782.l.01", "123456782L01"),
        (" 111222333 L 02 ", "111222333L02"),
        ("004495445L99", "004495445L99"),
    ],
)
def test_payroll_tax_number_is_normalised(raw: str, expected: str) -> None:
    assert ids.normalise_payroll_tax_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["123456789L01", "123456782L00", "123456782B01", "123456782L1", "12345678L01", "123456782", ""],
)
def test_payroll_tax_number_that_fails_the_format_or_eleven_proof_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_payroll_tax_number, raw, Code.INVALID_PAYROLL_TAX_NUMBER)


# --- Postal codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234 AB", "1234AB"),
        ("1234ab", "1234AB"),
        (" 2611-et ", "2611ET"),
        ("NL-2611 ET", "2611ET"),
        ("9999.zz", "9999ZZ"),
    ],
)
def test_dutch_postal_code_is_normalised_to_compact_upper_case(raw: str, expected: str) -> None:
    assert ids.normalise_postal_code(raw) == expected


@pytest.mark.parametrize(
    "raw", ["0123 AB", "1234 SA", "1234 SD", "1234 SS", "12345", "1234 A", "1234 ABC", ""]
)
def test_dutch_postal_code_with_wrong_format_or_banned_letters_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_postal_code, raw, Code.INVALID_POSTAL_CODE)


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        (" sw1a   1aa ", "GB", "SW1A 1AA"),
        ("10115", "DE", "10115"),
        ("1000", "be", "1000"),
        ("k1a-0b1", "CA", "K1A-0B1"),
        ("0123", "DK", "0123"),
    ],
)
def test_foreign_postal_code_is_trimmed_and_upper_cased(
    raw: str, country: str, expected: str
) -> None:
    assert ids.normalise_postal_code(raw, country) == expected


@pytest.mark.parametrize("raw", ["", "   ", "12345678901234567", "1000<script>"])
def test_foreign_postal_code_that_is_empty_too_long_or_odd_is_refused(raw: str) -> None:
    with pytest.raises(DomainError) as caught:
        ids.normalise_postal_code(raw, "DE")
    assert caught.value.code == Code.INVALID_POSTAL_CODE


def test_lower_case_nl_country_code_uses_the_dutch_postal_code_rules() -> None:
    assert ids.normalise_postal_code("1234 ab", "nl") == "1234AB"
    with pytest.raises(DomainError):
        ids.normalise_postal_code("0123 AB", "nl")


@pytest.mark.parametrize(
    ("stored", "country", "expected"),
    [
        ("1234AB", "NL", "1234 AB"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("10115", "DE", "10115"),
        ("odd", "NL", "odd"),
    ],
)
def test_stored_postal_code_is_formatted_with_a_space_for_nl(
    stored: str, country: str, expected: str
) -> None:
    assert ids.format_postal_code(stored, country) == expected


# --- Phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020-1234567", "+31201234567"),
        ("020 123 4567", "+31201234567"),
        ("06 12345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031 20 123 4567", "+31201234567"),
        ("(020) 123.45.67", "+31201234567"),
        ("+32 12 34 56 78", "+3212345678"),
        ("+49 30 123456", "+4930123456"),
    ],
)
def test_dutch_and_international_phone_numbers_are_normalised_to_e164(
    raw: str, expected: str
) -> None:
    assert ids.normalise_phone(raw) == expected


def test_national_phone_number_is_read_for_the_given_region() -> None:
    assert ids.normalise_phone("012 34 56 78", region="BE") == "+3212345678"


@pytest.mark.parametrize(
    "raw", ["", "12", "020 123", "0201234567890", "not a number", "+31 20 123 4567 ext. 12"]
)
def test_invalid_phone_number_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_phone, raw, Code.INVALID_PHONE)


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+31201234567", "020 123 4567"),
        ("+31612345678", "06 12345678"),
        ("+3212345678", "+32 12 34 56 78"),
        ("+441212345678", "+44 121 234 5678"),
        ("garbage", "garbage"),
    ],
)
def test_stored_phone_is_shown_nationally_for_nl_and_internationally_otherwise(
    e164: str, expected: str
) -> None:
    assert ids.format_phone(e164) == expected


def test_stored_phone_is_shown_nationally_for_another_home_region() -> None:
    assert ids.format_phone("+3212345678", region="BE") == "012 34 56 78"


# --- E-mail -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jan@example.nl", "jan@example.nl"),
        ("  Jan.Jansen@Example.NL ", "Jan.Jansen@example.nl"),
        ("info+crm@sub.Example.com", "info+crm@sub.example.com"),
        ("jan@BÜCHER.de", "jan@bücher.de"),
    ],
)
def test_email_address_is_trimmed_and_its_domain_lower_cased(raw: str, expected: str) -> None:
    assert ids.normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "jan",
        "jan@",
        "@example.nl",
        "jan@localhost",
        "jan jansen@example.nl",
        "jan@@example.nl",
        "Jan <jan@example.nl>",
    ],
)
def test_invalid_email_address_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_email, raw, Code.INVALID_EMAIL)


def test_email_error_message_does_not_echo_the_input() -> None:
    error = assert_refused(ids.normalise_email, "geheim,adres@voorbeeld.nl", Code.INVALID_EMAIL)
    assert "geheim" not in error.message
    assert "voorbeeld" not in error.message


# --- IBAN -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("nl91 abna 0417 1643 00", "NL91ABNA0417164300"),
        ("NL91-ABNA-0417-1643-00", "NL91ABNA0417164300"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("BE71 0961 2345 6769", "BE71096123456769"),
    ],
)
def test_iban_is_normalised_to_compact_form(raw: str, expected: str) -> None:
    assert ids.normalise_iban(raw) == expected


@pytest.mark.parametrize(
    "raw", ["NL91ABNA0417164301", "NL91ABNA041716430", "XX91ABNA0417164300", "0417164300", ""]
)
def test_iban_with_wrong_check_digits_length_or_country_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_iban, raw, Code.INVALID_IBAN)


@pytest.mark.parametrize(
    ("compact", "expected"),
    [("NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"), ("BE71096123456769", "BE71 0961 2345 6769")],
)
def test_compact_iban_is_formatted_in_groups_of_four(compact: str, expected: str) -> None:
    assert ids.format_iban(compact) == expected


# --- Website ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.nl", "https://example.nl"),
        (" WWW.Example.NL/ ", "https://www.example.nl"),
        ("http://example.nl/", "http://example.nl"),
        ("HTTPS://example.nl/Contact?x=1#top", "https://example.nl/Contact?x=1#top"),
        ("https://example.nl/?x=1", "https://example.nl/?x=1"),
        ("example.nl:8443/portal", "https://example.nl:8443/portal"),
        ("https://mijn-kantoor.example.co.uk", "https://mijn-kantoor.example.co.uk"),
        ("https://xn--bcher-kva.de", "https://xn--bcher-kva.de"),
        ("bücher.de", "https://bücher.de"),
    ],
)
def test_website_gets_https_when_no_scheme_is_given_and_a_lower_case_host(
    raw: str, expected: str
) -> None:
    assert ids.normalise_website(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "localhost",
        "ftp://example.nl",
        "javascript:alert(1)",
        "mailto:jan@example.nl",
        "https://user:secret@example.nl",
        "https://192.168.1.1",
        "https://[::1]/",
        "exa mple.nl",
        "https://-example.nl",
        "https://example-.nl",
        "https://example..nl",
        "https://example.nl.",
        "https://example.nl:99999",
        "https://exa_mple.nl",
        "https://",
    ],
)
def test_website_without_a_real_host_or_with_another_scheme_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_website, raw, Code.INVALID_URL)


# --- SBI, country, financial year, currency ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("6920", "6920"), ("69.20", "6920"), (" 01.11 ", "0111"), ("01", "01"), ("62.01.1", "62011")],
)
def test_sbi_code_keeps_its_digits_and_leading_zeros(raw: str, expected: str) -> None:
    assert ids.normalise_sbi_code(raw) == expected


@pytest.mark.parametrize("raw", ["6", "620112", "69A0", ""])
def test_sbi_code_with_wrong_length_or_letters_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_sbi_code, raw, Code.INVALID)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("NL", "NL"), ("nl", "NL"), (" be ", "BE"), ("CW", "CW"), ("BQ", "BQ"), ("XK", "XK")],
)
def test_country_code_is_upper_cased_when_it_is_an_iso_code(raw: str, expected: str) -> None:
    assert ids.normalise_country_code(raw) == expected


@pytest.mark.parametrize("raw", ["UK", "EL", "NLD", "N", "", "XX", "ZZ"])
def test_unknown_or_non_iso_country_code_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_country_code, raw, Code.INVALID)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01-01", "01-01"),
        ("07-01", "07-01"),
        ("7-1", "07-01"),
        (" 10-1 ", "10-01"),
        ("12-31", "12-31"),
        ("02-28", "02-28"),
    ],
)
def test_financial_year_start_is_normalised_to_month_and_day(raw: str, expected: str) -> None:
    assert ids.normalise_financial_year_start(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "13-01",
        "00-01",
        "01-00",
        "04-31",
        "02-29",
        "02-30",
        "0101",
        "01/07",
        "2024-01-01",
        "001-01",
        "",
        "jan-01",
    ],
)
def test_financial_year_start_that_is_not_a_yearly_date_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_financial_year_start, raw, Code.INVALID)


@pytest.mark.parametrize(
    ("raw", "expected"), [("EUR", "EUR"), ("eur", "EUR"), (" usd ", "USD"), ("XCG", "XCG")]
)
def test_currency_is_upper_cased_when_it_is_an_active_iso_code(raw: str, expected: str) -> None:
    assert ids.normalise_currency(raw) == expected


@pytest.mark.parametrize("raw", ["NLG", "HRK", "XXX", "EU", "EURO", "", "€"])
def test_unknown_withdrawn_or_non_money_currency_code_is_refused(raw: str) -> None:
    assert_refused(ids.normalise_currency, raw, Code.INVALID)


# --- Search folding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Coöperatie", "cooperatie"),
        ("Café Brasserie", "cafe brasserie"),
        ("Straße", "strasse"),
        ("Søren Ærø", "soren aero"),
        ("Łódź", "lodz"),
        ("ĲSSEL", "ijssel"),
        ("plain ascii 123", "plain ascii 123"),
        ("", ""),
    ],
)
def test_fold_lower_cases_and_strips_diacritics(text: str, expected: str) -> None:
    assert ids.fold(text) == expected


def test_folded_search_term_matches_a_name_with_a_trema() -> None:
    assert ids.fold("cooperatie") in ids.fold("Coöperatie De Eendracht U.A.")
