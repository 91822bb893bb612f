// Dutch labels for the contract's enums and for field names shown in history.

export const LABELS = {
  PartyType: { PERSON: 'Persoon', ORGANISATION: 'Organisatie' },
  RelationKind: {
    CLIENT: 'Klant',
    PROSPECT: 'Prospect',
    SUPPLIER: 'Leverancier',
    BUSINESS_PARTNER: 'Zakenpartner',
    AGENCY: 'Instantie',
    OTHER: 'Overig',
  },
  AgencyType: {
    BANK: 'Bank',
    TAX_AUTHORITY: 'Belastingdienst',
    CHAMBER_OF_COMMERCE: 'Kamer van Koophandel',
    EMPLOYEE_INSURANCE_AGENCY: 'UWV (werknemersverzekeringen)',
    NOTARY: 'Notaris',
    INSURER: 'Verzekeraar',
    PENSION_FUND: 'Pensioenfonds',
    MUNICIPALITY: 'Gemeente',
    OTHER: 'Overig',
  },
  LegalForm: {
    EENMANSZAAK: 'Eenmanszaak',
    MAATSCHAP: 'Maatschap',
    VOF: 'Vennootschap onder firma (vof)',
    CV: 'Commanditaire vennootschap (cv)',
    REDERIJ: 'Rederij',
    BV: 'Besloten vennootschap (bv)',
    NV: 'Naamloze vennootschap (nv)',
    SE: 'Europese naamloze vennootschap (SE)',
    STICHTING: 'Stichting',
    VERENIGING: 'Vereniging',
    VERENIGING_VAN_EIGENAARS: 'Vereniging van eigenaars (VvE)',
    COOPERATIE: 'Coöperatie',
    SCE: 'Europese coöperatieve vennootschap (SCE)',
    ONDERLINGE_WAARBORGMAATSCHAPPIJ: 'Onderlinge waarborgmaatschappij',
    KERKGENOOTSCHAP: 'Kerkgenootschap',
    PUBLIEKRECHTELIJKE_RECHTSPERSOON: 'Publiekrechtelijke rechtspersoon',
    BUITENLANDSE_RECHTSVORM: 'Buitenlandse rechtsvorm',
    OVERIG: 'Overig',
  },
  TaxRegime: {
    INCOME_TAX: 'Inkomstenbelasting (IB)',
    CORPORATE_TAX: 'Vennootschapsbelasting (Vpb)',
    NONE: 'Geen',
  },
  RelationStatus: { ACTIVE: 'Actief', INACTIVE: 'Inactief', ARCHIVED: 'Gearchiveerd' },
  AddressType: { VISITING: 'Bezoekadres', POSTAL: 'Postadres', REGISTERED_OFFICE: 'Statutair adres' },
  EntitySize: { MICRO: 'Micro', SMALL: 'Klein', MEDIUM: 'Middelgroot', LARGE: 'Groot' },
  PartnershipType: {
    MARRIED: 'Gehuwd',
    REGISTERED_PARTNERSHIP: 'Geregistreerd partnerschap',
    COHABITING: 'Samenwonend',
  },
  RelationLinkType: {
    TAX_OFFICE: 'Belastingkantoor',
    NOTARY: 'Notaris',
    BANK: 'Bank',
    INSURER: 'Verzekeraar',
    PENSION_FUND: 'Pensioenfonds',
    LAWYER: 'Advocaat',
    PAYROLL_PROVIDER: 'Salarisverwerker',
    PREVIOUS_ACCOUNTANT: 'Vorige accountant',
    OTHER: 'Overig',
  },
  StaffRole: { PARTNER: 'Partner', MANAGER: 'Manager', EMPLOYEE: 'Medewerker', ADMIN: 'Beheerder' },
  AssignmentRole: {
    RELATION_MANAGER: 'Relatiebeheerder',
    ACCOUNTANT: 'Accountant',
    TAX_ADVISER: 'Belastingadviseur',
    PAYROLL_ADMINISTRATOR: 'Salarisadministrateur',
    ASSISTANT: 'Assistent',
    OTHER: 'Overig',
  },
  AppointmentStatus: { PLANNED: 'Gepland', CANCELLED: 'Geannuleerd', DONE: 'Afgerond' },
  LinkedSystemKind: {
    BOOKKEEPING: 'Boekhouding',
    TAX_RETURNS: 'Aangiften',
    PAYROLL: 'Salarisadministratie',
    DOCUMENTS: 'Documenten',
    CLIENT_PORTAL: 'Klantportaal',
    OTHER: 'Overig',
  },
  DeliveryState: { UP_TO_DATE: 'Bijgewerkt', PENDING: 'Wacht op verzending', FAILING: 'Verzending mislukt' },
};

/** The Dutch label of an enum value; the raw value when unknown (the server may add values). */
export function label(enumName, value) {
  if (value === null || value === undefined) return '';
  return LABELS[enumName]?.[value] ?? String(value);
}

/** [value, label] pairs in contract order, for selects, checkboxes and filter chips. */
export function options(enumName) {
  return Object.entries(LABELS[enumName] ?? {});
}

// Field names as they appear in history diffs (Version.changes), in Dutch.
const FIELD_LABELS = {
  partyType: 'Soort partij', kinds: 'Soorten', agencyType: 'Soort instantie', status: 'Status',
  legalForm: 'Rechtsvorm', taxRegime: 'Belastingregime', email: 'E-mailadres', phone: 'Telefoon',
  website: 'Website', displayName: 'Naam', number: 'Relatienummer',
  initials: 'Voorletters', firstNames: 'Voornamen', givenName: 'Roepnaam', prefix: 'Tussenvoegsel',
  lastName: 'Achternaam', dateOfBirth: 'Geboortedatum', bsn: 'BSN', firstName: 'Voornaam',
  legalName: 'Statutaire naam', tradeNames: 'Handelsnamen', kvkNumber: 'KvK-nummer',
  establishmentNumber: 'Vestigingsnummer', rsin: 'RSIN', vatNumber: 'Btw-id',
  payrollTaxNumber: 'Loonheffingennummer', sbiCodes: 'SBI-codes', foundedOn: 'Opgericht op',
  street: 'Straat', houseNumber: 'Huisnummer', houseNumberAddition: 'Toevoeging',
  postalCode: 'Postcode', city: 'Plaats', countryCode: 'Land', addresses: 'Adressen',
  department: 'Afdeling', jobTitle: 'Functie', mobile: 'Mobiel', isPrimary: 'Primair contact',
  person: 'Persoon', organisation: 'Organisatie', customFields: 'Extra velden',
  sbr: 'SBR-gegevens', registeredSeat: 'Statutaire zetel', sizeCategory: 'Grootteklasse',
  financialYearStart: 'Begin boekjaar', reportingCurrency: 'Rapportagevaluta',
  consolidates: 'Geconsolideerd', filingContactId: 'Contactpersoon deponering',
  personId: 'Persoon', reason: 'Reden', type: 'Soort',
};

/** "organisation.kvkNumber" -> "Organisatie › KvK-nummer". */
export function fieldLabel(path) {
  return String(path)
    .split('.')
    .map((part) => FIELD_LABELS[part] ?? part)
    .join(' › ');
}

// ---------------------------------------------------------------- UserErrors in Dutch
// The API's UserError messages are English; the cockpit shows Dutch text chosen by the
// stable `code` (and, where that says more, the field), with the English message as the
// last resort. Known English messages with a more precise meaning are translated first.

const ERROR_CODES = {
  REQUIRED: 'Vul dit veld in.',
  INVALID_EMAIL: 'Vul een geldig e-mailadres in.',
  INVALID_POSTAL_CODE: 'Vul een geldige postcode in, bijvoorbeeld 1234 AB.',
  INVALID_PHONE: 'Vul een geldig telefoonnummer in, bijvoorbeeld 020 123 4567.',
  INVALID_KVK: 'Een KvK-nummer bestaat uit precies 8 cijfers.',
  INVALID_BSN: 'Dit is geen geldig BSN: 9 cijfers die de elfproef doorstaan.',
  INVALID_RSIN: 'Dit is geen geldig RSIN: 9 cijfers die de elfproef doorstaan.',
  INVALID_ESTABLISHMENT_NUMBER: 'Een vestigingsnummer bestaat uit precies 12 cijfers.',
  INVALID_VAT_NUMBER: 'Vul een geldig btw-id in, bijvoorbeeld NL123456789B01.',
  INVALID_PAYROLL_TAX_NUMBER: 'Vul een geldig loonheffingennummer in, bijvoorbeeld 123456789L01.',
  INVALID_IBAN: 'Vul een geldig IBAN in, bijvoorbeeld NL91 ABNA 0417 1643 00.',
  INVALID_URL: 'Vul een geldig webadres in, bijvoorbeeld https://voorbeeld.nl.',
  WEAK_PASSWORD: 'Kies een sterker wachtwoord.',
  NOT_FOUND: 'Dit bestaat niet (meer). Laad de pagina opnieuw.',
  FORBIDDEN: 'U heeft geen toestemming voor deze handeling.',
  THROTTLED: 'Te veel pogingen. Wacht even en probeer het dan opnieuw.',
  UNAUTHENTICATED: 'Uw sessie is verlopen. Meld u opnieuw aan.',
  CYCLE: 'Dit zou een kringeigendom opleveren: de deelneming houdt (via via) al aandelen in de houder.',
  LIMIT: 'Dit is meer dan is toegestaan.',
  CONFLICT: 'Dit is al vastgelegd.',
};

// More precise text for a code on a particular field (the last part of the path).
const ERROR_FIELDS = {
  REQUIRED: {
    lastName: 'Vul de achternaam in.',
    legalName: 'Vul de statutaire naam in.',
    kinds: 'Kies ten minste één soort relatie.',
    partyType: 'Kies persoon of organisatie.',
    email: 'Vul het e-mailadres in.',
    password: 'Vul het wachtwoord in.',
    reason: 'Vul een reden in.',
    street: 'Vul de straat in.',
    houseNumber: 'Vul het huisnummer in.',
    postalCode: 'Vul de postcode in.',
    city: 'Vul de plaats in.',
  },
  INVALID: {
    password: 'Het e-mailadres of wachtwoord klopt niet.',
    dateOfBirth: 'Vul een geldige geboortedatum in (niet in de toekomst).',
    foundedOn: 'Vul een geldige datum in (niet in de toekomst).',
    countryCode: 'Vul een landcode van twee letters in, bijvoorbeeld NL.',
    sbiCodes: 'Een SBI-code heeft 2 tot 5 cijfers, bijvoorbeeld 6920.',
    houseNumber: 'Een Nederlands huisnummer bestaat alleen uit cijfers; zet letters bij Toevoeging.',
    agencyType: 'Alleen een relatie van de soort Instantie heeft een soort instantie.',
    legalForm: 'Een persoon kan alleen de rechtsvorm eenmanszaak hebben.',
    financialYearStart: 'Vul het begin van het boekjaar in als MM-DD, bijvoorbeeld 01-01.',
    reportingCurrency: 'Vul een valutacode van drie letters in, bijvoorbeeld EUR.',
  },
};

// English messages whose meaning is more specific than their code; [pattern, Dutch].
const ERROR_MESSAGES = [
  [/^At most (\d+)( printable)? characters\.$/, (m) => `Maximaal ${m[1]} tekens.`],
  [/^This BSN fails the 11-proef/, () => 'Dit BSN doorstaat de elfproef niet; controleer op een tikfout.'],
  [/^A BSN has 9 digits/, () => 'Een BSN bestaat uit 9 cijfers.'],
  [/^This RSIN fails the 11-proef/, () => 'Dit RSIN doorstaat de elfproef niet; controleer op een tikfout.'],
  [/^A KvK number cannot start with 00/, () => 'Een KvK-nummer begint niet met 00.'],
  [/^Enter the phone number without an extension/, () => 'Vul het telefoonnummer in zonder toestelnummer.'],
  [/^An eenmanszaak has no RSIN/, () => 'Een eenmanszaak heeft geen eigen RSIN (dat is het BSN van de eigenaar); laat dit leeg.'],
  [/^The party type of a relation cannot change/, () => 'De soort partij van een relatie kan niet veranderen; maak een nieuwe relatie aan.'],
  [/^A relation has one address of each type/, () => 'Een relatie heeft van elke soort één adres.'],
  [/^This date lies in the future/, () => 'Deze datum ligt in de toekomst.'],
  [/^These details belong to/, () => 'Deze gegevens horen bij een andere soort partij.'],
  [/^Too many failed sign-in attempts/, () => 'Te veel mislukte pogingen om aan te melden. Probeer het later opnieuw.'],
  [/^This person is already a contact/, () => 'Deze persoon is al contactpersoon van deze relatie.'],
  [/^The reason is longer than (\d+) characters/, (m) => `De reden is langer dan ${m[1]} tekens.`],
];

const CONFLICT_FIELDS = {
  kvkNumber: 'Dit KvK-nummer', bsn: 'Dit BSN', rsin: 'Dit RSIN', email: 'Dit e-mailadres',
  externalId: 'Dit nummer', vatNumber: 'Dit btw-id',
};

function conflictMessage(error, last) {
  const number = /relation (\S+?)\.?$/.exec(error.message ?? '')?.[1];
  const subject = CONFLICT_FIELDS[last];
  if (subject && number) return `${subject} is al vastgelegd bij relatie ${number}.`;
  if (subject) return `${subject} is al vastgelegd.`;
  if (number) return `Dit bestaat al bij relatie ${number}.`;
  return null;
}

/** A UserError ({field, code, message}) as a Dutch sentence; the English message as fallback. */
export function userErrorMessage(error) {
  const last = (error?.field ?? []).at(-1);
  const message = error?.message ?? '';
  if (error?.code === 'CONFLICT') {
    const text = conflictMessage(error, last);
    if (text) return text;
  }
  for (const [pattern, dutch] of ERROR_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return dutch(match);
  }
  return ERROR_FIELDS[error?.code]?.[last] ?? ERROR_CODES[error?.code] ?? (message || 'Ongeldige invoer.');
}
