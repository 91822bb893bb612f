// The history section: what changed on the relation and around it (contacts, links,
// staff ...), newest first, fetched by a small query of its own. Versions carry the stored
// columns (snake_case) of one row; ids are turned into names from the card where possible
// and bookkeeping columns are left out.

import { h, emptyState, srOnly } from '../dom.js';
import { query, errorMessage, AuthError } from '../api.js';
import { RELATION_HISTORY } from '../queries.js';
import { label, fieldLabel } from '../i18n.js';
import {
  formatDate, formatDateTime, formatPhone, formatPostcode, formatPercentage, formatChangeValue,
} from '../format.js';
import { section } from './card-sections.js';

const SHOWN_AT_FIRST = 8;
const KINDS = ['CLIENT', 'PROSPECT', 'SUPPLIER', 'BUSINESS_PARTNER', 'AGENCY', 'OTHER'];

const TITLES = {
  relation: ['Relatie aangemaakt', 'Gegevens gewijzigd', 'Relatie verwijderd'],
  address: ['Adres toegevoegd', 'Adres gewijzigd', 'Adres verwijderd'],
  contact: ['Contactpersoon toegevoegd', 'Contactpersoon gewijzigd', 'Contactpersoon verwijderd'],
  partnership: ['Partner vastgelegd', 'Partnerschap gewijzigd', 'Partnerschap beëindigd'],
  link: ['Eigen relatie toegevoegd', 'Eigen relatie gewijzigd', 'Eigen relatie verwijderd'],
  shareholding: ['Aandeelhouderschap vastgelegd', 'Aandeelhouderschap gewijzigd', 'Aandeelhouderschap verwijderd'],
  assignment: ['Medewerker toegewezen', 'Toewijzing gewijzigd', 'Medewerker niet meer toegewezen'],
  custom_value: ['Extra veld ingevuld', 'Extra veld gewijzigd', 'Extra veld gewist'],
  appointment: ['Afspraak gepland', 'Afspraak gewijzigd', 'Afspraak verwijderd'],
  appointment_employee: ['Medewerker aan afspraak toegevoegd', 'Afspraak gewijzigd', 'Medewerker van afspraak gehaald'],
  appointment_contact: ['Contactpersoon aan afspraak toegevoegd', 'Afspraak gewijzigd', 'Contactpersoon van afspraak gehaald'],
  linked_account: ['Gekoppeld aan een ander systeem', 'Koppeling gewijzigd', 'Koppeling verwijderd'],
};
const OPS = { create: 0, update: 1, delete: 2 };

// Columns that are bookkeeping, not information for the office.
const HIDDEN = new Set(['id', 'created_at', 'updated_at', 'sort_name', 'position', 'sequence', 'uid',
  'bsn_index', 'bsn_last_digits', 'tax_regime_explicit', 'search_text']);

const EXTRA_LABELS = {
  kindsMask: 'Soorten', bsnEncrypted: 'BSN', fiscalUnityCorporateTax: 'Fiscale eenheid Vpb',
  fiscalUnityVat: 'Fiscale eenheid btw', percentage: 'Percentage', since: 'Sinds', until: 'Tot',
  role: 'Rol', note: 'Notitie', title: 'Titel', location: 'Locatie', start: 'Begin', end: 'Einde',
  allDay: 'Hele dag', externalId: 'Nummer', fiscalPartner: 'Fiscaal partner', value: 'Waarde',
  description: 'Omschrijving', employeeId: 'Medewerker', contactId: 'Contactpersoon',
  toRelationId: 'Relatie', fromRelationId: 'Relatie', holderId: 'Aandeelhouder',
  subsidiaryId: 'Deelneming', systemId: 'Systeem',
  sbrRegisteredSeat: 'Statutaire zetel', sbrSizeCategory: 'Grootteklasse',
  sbrFinancialYearStart: 'Begin boekjaar', sbrReportingCurrency: 'Rapportagevaluta',
  sbrConsolidates: 'Geconsolideerd', sbrFilingContactId: 'Contactpersoon deponering',
};

function camel(name) {
  return name.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
}

function columnLabel(column) {
  const key = camel(column);
  return EXTRA_LABELS[key] ?? fieldLabel(key);
}

/** Names of everything the card knows by id: relations, contacts, employees, systems. */
export function namesFromCard(relation) {
  const names = new Map();
  const add = (item, name = item?.displayName) => { if (item?.id && name) names.set(item.id, name); };
  add(relation);
  (relation.contacts ?? []).forEach((contact) => add(contact));
  (relation.links ?? []).forEach((link) => add(link.to));
  (relation.shareholders ?? []).forEach((item) => add(item.holder));
  (relation.participations ?? []).forEach((item) => add(item.subsidiary));
  (relation.group ?? []).forEach((edge) => { add(edge.holder); add(edge.subsidiary); });
  add(relation.partnership?.partner);
  (relation.staff ?? []).forEach((assignment) => add(assignment.employee, assignment.employee?.name));
  (relation.accounts ?? []).forEach((account) => add(account.system, account.system?.name));
  return names;
}

const ENUM_BY_COLUMN = {
  legal_form: 'LegalForm', tax_regime: 'TaxRegime', party_type: 'PartyType', agency_type: 'AgencyType',
  sbr_size_category: 'EntitySize', role: 'AssignmentRole',
};
const TYPE_ENUM = { address: 'AddressType', link: 'RelationLinkType', partnership: 'PartnershipType' };
const STATUS_ENUM = { relation: 'RelationStatus', appointment: 'AppointmentStatus' };

function displayValue(entity, column, value, names) {
  if (value === null || value === undefined || value === '') return '—';
  if (column === 'bsn_encrypted') return 'verborgen';
  if (column === 'kinds_mask') return KINDS.filter((kind, i) => Number(value) & (1 << i)).map((k) => label('RelationKind', k)).join(', ') || '—';
  if (column.endsWith('_id')) return names.get(String(value)) ?? '—';
  if (column === 'phone' || column === 'mobile') return formatPhone(value);
  if (column === 'postal_code') return formatPostcode(value);
  if (column === 'percentage') return formatPercentage(value);
  if (['since', 'until', 'date_of_birth', 'founded_on'].includes(column)) return formatDate(value);
  if (column === 'start' || column === 'end') return formatDateTime(value);
  const enumName = column === 'type' ? TYPE_ENUM[entity] : column === 'status' ? STATUS_ENUM[entity] : ENUM_BY_COLUMN[column];
  if (enumName) return label(enumName, value);
  return formatChangeValue(value);
}

/** The value a row had after (or, when deleted, before) the change. */
function stateOf(changes, column) {
  const diff = changes?.[column];
  return Array.isArray(diff) ? diff[1] ?? diff[0] : undefined;
}

/** A few words that say which contact, link, employee ... the version is about. */
function subject(version, relationId, names) {
  const c = version.changes ?? {};
  const get = (column) => stateOf(c, column);
  const other = (a, b) => (String(get(a)) === relationId ? get(b) : get(a));
  const name = (id) => (id ? names.get(String(id)) : null);
  switch (version.entity) {
    case 'contact': return [get('first_name') ?? get('initials'), get('prefix'), get('last_name')].filter(Boolean).join(' ');
    case 'address': return label('AddressType', get('type'));
    case 'link': return [label('RelationLinkType', get('type')), name(other('from_relation_id', 'to_relation_id'))].filter(Boolean).join(' · ');
    case 'assignment': return [name(get('employee_id')), label('AssignmentRole', get('role'))].filter(Boolean).join(' · ');
    case 'shareholding': return [name(other('holder_id', 'subsidiary_id')), formatPercentage(get('percentage'))].filter(Boolean).join(' · ');
    case 'partnership': return name(other('person_a_id', 'person_b_id')) ?? label('PartnershipType', get('type'));
    case 'appointment': return get('title') ?? '';
    case 'linked_account': return [name(get('system_id')), get('external_id')].filter(Boolean).join(' · ');
    default: return '';
  }
}

function changeRows(version, names) {
  if (version.op !== 'update') return [];
  return Object.entries(version.changes ?? {})
    .filter(([column, diff]) => !HIDDEN.has(column) && Array.isArray(diff)
      && !(column.endsWith('_id') && !names.has(String(diff[0])) && !names.has(String(diff[1]))))
    .map(([column, [before, after]]) => h('li', { 'data-field-name': column },
      h('span', { class: 'change__field' }, columnLabel(column)), ' ',
      h('span', { class: 'change__old' }, displayValue(version.entity, column, before, names)),
      h('span', { 'aria-hidden': 'true' }, ' → '), srOnly(' wordt '),
      h('span', { class: 'change__new' }, displayValue(version.entity, column, after, names))));
}

function versionItem(version, relationId, names) {
  const titles = TITLES[version.entity];
  const title = titles ? titles[OPS[version.op] ?? 1] : `${version.entity} ${version.op ?? ''}`.trim();
  const about = subject(version, relationId, names) || (version.entity !== 'relation' ? names.get(version.entityId) : '');
  const rows = changeRows(version, names);
  return h('li', { class: 'version', 'data-testid': 'version', 'data-entity': version.entity, 'data-op': version.op },
    h('p', { class: 'version__title' }, title, about ? h('span', { class: 'version__subject' }, ` · ${about}`) : null),
    rows.length ? h('ul', { class: 'changes' }, rows) : null,
    h('p', { class: 'version__meta' },
      h('time', { datetime: version.at }, formatDateTime(version.at)), ' · ', version.actor?.name ?? 'Systeem'));
}

function versionList(versions, relation) {
  const names = namesFromCard(relation);
  const items = versions.map((version) => versionItem(version, relation.id, names));
  const list = h('ol', { class: 'history' }, items.slice(0, SHOWN_AT_FIRST));
  if (items.length <= SHOWN_AT_FIRST) return list;
  const more = h('button', { type: 'button', class: 'button button--small button--quiet', 'data-testid': 'history-more' },
    `Toon alle ${items.length} wijzigingen`);
  more.addEventListener('click', () => {
    list.append(...items.slice(SHOWN_AT_FIRST));
    more.remove();
    items[SHOWN_AT_FIRST].setAttribute('tabindex', '-1');
    items[SHOWN_AT_FIRST].focus();
  });
  return [list, h('p', { class: 'history__more' }, more)];
}

export function historySection(card) {
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Geschiedenis wordt geladen…'));
  const load = async () => {
    try {
      const data = await query(RELATION_HISTORY, { id: card.relation.id });
      const versions = data?.relation?.versions ?? [];
      body.replaceChildren(...[versions.length ? versionList(versions, card.relation) : emptyState('Nog geen wijzigingen.')].flat());
    } catch (error) {
      if (error instanceof AuthError) return;
      body.replaceChildren(h('p', { class: 'notice notice--error' }, `De geschiedenis kon niet worden geladen. ${errorMessage(error)}`));
    } finally {
      body.removeAttribute('aria-busy');
    }
  };
  load();
  return section('history', 'Geschiedenis', body);
}
