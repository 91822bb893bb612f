// The field sets of the relation form: person, organisation, visiting address.
// Names are paths below `input` (see form-kit.js).

import { textField } from '../form-kit.js';

export const ADDRESS_PARTS = ['street', 'houseNumber', 'houseNumberAddition', 'postalCode', 'city', 'countryCode'];

export function personFields(v, editing) {
  return [
    textField({ name: 'person.initials', size: 'quarter', label: 'Voorletters', value: v['person.initials'], autocomplete: 'off' }),
    textField({ name: 'person.firstNames', size: 'half', label: 'Voornamen', value: v['person.firstNames'], autocomplete: 'off' }),
    textField({ name: 'person.givenName', size: 'quarter', label: 'Roepnaam', value: v['person.givenName'], autocomplete: 'off' }),
    textField({ name: 'person.prefix', size: 'third', label: 'Tussenvoegsel', value: v['person.prefix'], autocomplete: 'off', hint: 'Bijvoorbeeld: van der' }),
    textField({ name: 'person.lastName', size: 'two-thirds', label: 'Achternaam', value: v['person.lastName'], required: true, autocomplete: 'off' }),
    textField({ name: 'person.dateOfBirth', size: 'half', label: 'Geboortedatum', type: 'date', value: v['person.dateOfBirth'] }),
    textField({
      name: 'person.bsn', size: 'half', label: 'BSN', value: '', inputmode: 'numeric', autocomplete: 'off',
      hint: editing ? 'Laat leeg om het vastgelegde BSN te houden.' : '9 cijfers.',
    }),
  ];
}

export function organisationFields(v) {
  return [
    textField({ name: 'organisation.legalName', label: 'Statutaire naam', value: v['organisation.legalName'], required: true, autocomplete: 'off' }),
    textField({ name: 'organisation.tradeNames', label: 'Handelsnamen', value: v['organisation.tradeNames'], autocomplete: 'off', hint: 'Meerdere namen scheiden met een komma.' }),
    textField({ name: 'organisation.kvkNumber', size: 'half', label: 'KvK-nummer', value: v['organisation.kvkNumber'], inputmode: 'numeric', autocomplete: 'off', hint: '8 cijfers.' }),
    textField({ name: 'organisation.establishmentNumber', size: 'half', label: 'Vestigingsnummer', value: v['organisation.establishmentNumber'], inputmode: 'numeric', autocomplete: 'off', hint: '12 cijfers.' }),
    textField({ name: 'organisation.rsin', size: 'half', label: 'RSIN', value: v['organisation.rsin'], inputmode: 'numeric', autocomplete: 'off', hint: '9 cijfers.' }),
    textField({ name: 'organisation.vatNumber', size: 'half', label: 'Btw-id', value: v['organisation.vatNumber'], autocomplete: 'off', hint: 'Bijvoorbeeld: NL123456782B01' }),
    textField({ name: 'organisation.payrollTaxNumber', size: 'half', label: 'Loonheffingennummer', value: v['organisation.payrollTaxNumber'], autocomplete: 'off', hint: 'Bijvoorbeeld: 123456782L01' }),
    textField({ name: 'organisation.foundedOn', size: 'half', label: 'Opgericht op', type: 'date', value: v['organisation.foundedOn'] }),
    textField({ name: 'organisation.sbiCodes', label: 'SBI-codes', value: v['organisation.sbiCodes'], autocomplete: 'off', hint: 'Meerdere codes scheiden met een komma.' }),
  ];
}

export function addressFields(v) {
  const value = (name) => v[`addresses.0.${name}`];
  return [
    textField({ name: 'addresses.0.street', size: 'half', label: 'Straat', value: value('street'), autocomplete: 'off' }),
    textField({ name: 'addresses.0.houseNumber', size: 'quarter', label: 'Huisnummer', value: value('houseNumber'), autocomplete: 'off' }),
    textField({ name: 'addresses.0.houseNumberAddition', size: 'quarter', label: 'Toevoeging', value: value('houseNumberAddition'), autocomplete: 'off' }),
    textField({ name: 'addresses.0.postalCode', size: 'third', label: 'Postcode', value: value('postalCode'), autocomplete: 'off', hint: 'Bijvoorbeeld: 1234 AB' }),
    textField({ name: 'addresses.0.city', size: 'third', label: 'Plaats', value: value('city'), autocomplete: 'off' }),
    textField({ name: 'addresses.0.countryCode', size: 'third', label: 'Land (landcode)', value: value('countryCode'), autocomplete: 'off', hint: 'Bijvoorbeeld: NL' }),
  ];
}
