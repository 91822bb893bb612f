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

// Fields whose history values are enum values, by the last part of the field's path.
const FIELD_ENUMS = {
  kinds: 'RelationKind', status: 'RelationStatus', legalForm: 'LegalForm', taxRegime: 'TaxRegime',
  partyType: 'PartyType', agencyType: 'AgencyType', sizeCategory: 'EntitySize',
};

/** A history value in Dutch where it is an enum value (or a list of them). */
export function fieldValueLabel(path, value) {
  const enumName = FIELD_ENUMS[String(path).split('.').at(-1)];
  if (!enumName || value === null || value === undefined) return value;
  return Array.isArray(value) ? value.map((item) => label(enumName, item)) : label(enumName, value);
}
