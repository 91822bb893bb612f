// The relation form: create (/?view=new, createRelation) and edit
// (/relations/<id>?view=edit, updateRelation with only the changed fields).
// The contact person form lives in contact-form.js and is re-exported here.
//
// Input names are paths below `input`: "email", "person.lastName",
// "organisation.kvkNumber", "addresses.0.postalCode" (the visiting address is always
// addresses[0] of what is sent, so a UserError path points at the right inputs).

import { h, relationPath } from '../dom.js';
import { query, mutate, errorMessage, AuthError } from '../api.js';
import { RELATION_CARD, CREATE_RELATION, UPDATE_RELATION, cardVariables } from '../queries.js';
import { label, options } from '../i18n.js';
import { formatPostcode } from '../format.js';
import {
  textField, selectField, choiceGroup, readValues, changedNames, setPath,
  errorSummary, showErrors, showGeneralError, busy,
} from '../form-kit.js';
import { personFields, organisationFields, addressFields, ADDRESS_PARTS } from './relation-fields.js';

export { openContactForm } from './contact-form.js';

const LIST_FIELDS = new Set(['organisation.tradeNames', 'organisation.sbiCodes']);
// Required by PersonInput / OrganisationInput: always sent with their group, even if empty,
// so that the server answers with a REQUIRED UserError instead of a query error.
const REQUIRED_IN_GROUP = { person: 'lastName', organisation: 'legalName' };

function inputValue(name, value) {
  if (LIST_FIELDS.has(name)) return value ? value.split(',').map((part) => part.trim()).filter(Boolean) : [];
  return value;
}

function addressInput(values, type = 'VISITING') {
  const part = (name) => values[`addresses.0.${name}`] ?? '';
  if (!ADDRESS_PARTS.some((name) => name !== 'countryCode' && part(name))) return null;
  const address = {
    type, street: part('street'), houseNumber: part('houseNumber'), postalCode: part('postalCode'),
    city: part('city'), countryCode: part('countryCode') || 'NL',
  };
  if (part('houseNumberAddition')) address.houseNumberAddition = part('houseNumberAddition');
  return address;
}

function existingAddressInput(address) {
  const { type, street, houseNumber, houseNumberAddition, postalCode, city, countryCode } = address;
  return { type, street, houseNumber, houseNumberAddition: houseNumberAddition ?? null, postalCode, city, countryCode };
}

function ensureRequired(input, values) {
  for (const [group, required] of Object.entries(REQUIRED_IN_GROUP)) {
    if (input[group]) input[group][required] ??= values[`${group}.${required}`] ?? '';
  }
}

/** The input for createRelation: every filled-in field of the chosen party type. */
function createInput(values) {
  const input = { partyType: values.partyType, kinds: values.kinds ?? [] };
  for (const [name, value] of Object.entries(values)) {
    if (['partyType', 'kinds'].includes(name) || name.startsWith('addresses.') || value === '') continue;
    setPath(input, name, inputValue(name, value));
  }
  input[values.partyType === 'PERSON' ? 'person' : 'organisation'] ??= {};
  ensureRequired(input, values);
  const address = addressInput(values);
  if (address) input.addresses = [address];
  return input;
}

/** The input for updateRelation: changed fields only; a cleared field becomes null. */
function updateInput(initial, values, relation) {
  const input = {};
  let addressChanged = false;
  for (const name of changedNames(initial, values)) {
    if (name.startsWith('addresses.')) {
      addressChanged = true;
      continue;
    }
    const value = inputValue(name, values[name]);
    setPath(input, name, value === '' ? null : value);
  }
  ensureRequired(input, values);
  if (addressChanged) {
    // Assumed: `addresses` replaces the list, so the other addresses are sent unchanged.
    const others = (relation.addresses ?? []).filter((a) => a !== visitingAddress(relation));
    const visiting = addressInput(values);
    input.addresses = [...(visiting ? [visiting] : []), ...others.map(existingAddressInput)];
  }
  return input;
}

function visitingAddress(relation) {
  return (relation?.addresses ?? []).find((a) => a.type === 'VISITING') ?? null;
}

function initialValues(relation) {
  if (!relation) return { partyType: 'ORGANISATION', kinds: ['CLIENT'], 'addresses.0.countryCode': 'NL' };
  const values = {
    partyType: relation.partyType, kinds: relation.kinds ?? [], agencyType: relation.agencyType,
    status: relation.status, legalForm: relation.legalForm, taxRegime: relation.taxRegime,
    email: relation.email, phone: relation.phone, website: relation.website,
  };
  for (const [key, value] of Object.entries(relation.person ?? {})) values[`person.${key}`] = value;
  for (const [key, value] of Object.entries(relation.organisation ?? {})) {
    values[`organisation.${key}`] = Array.isArray(value) ? value.join(', ') : value;
  }
  const address = visitingAddress(relation);
  for (const name of ADDRESS_PARTS) {
    values[`addresses.0.${name}`] = name === 'postalCode' ? formatPostcode(address?.postalCode, address?.countryCode) : address?.[name];
  }
  values['addresses.0.countryCode'] ??= 'NL';
  return values;
}

function buildForm(relation) {
  const v = initialValues(relation);
  const editing = Boolean(relation);
  const summary = errorSummary();
  const personSet = h('fieldset', { class: 'form-section', 'data-party': 'PERSON' }, h('legend', {}, 'Persoon'),
    h('div', { class: 'field-grid' }, personFields(v, editing)));
  const organisationSet = h('fieldset', { class: 'form-section', 'data-party': 'ORGANISATION' }, h('legend', {}, 'Organisatie'),
    h('div', { class: 'field-grid' }, organisationFields(v)));
  const agencyField = selectField({ name: 'agencyType', label: 'Soort instantie', options: options('AgencyType'), value: v.agencyType, size: 'half' });
  const showParty = (partyType) => {
    personSet.hidden = partyType !== 'PERSON';
    organisationSet.hidden = partyType !== 'ORGANISATION';
  };
  const showAgency = () => {
    agencyField.hidden = !form.querySelector('input[name="kinds"][value="AGENCY"]')?.checked;
  };
  const save = h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'save' }, 'Opslaan');
  const cancelHref = editing ? relationPath(relation.id) : '/';
  const form = h('form', { class: 'form relation-form', novalidate: true, 'data-testid': 'relation-form' },
    summary,
    h('p', { class: 'muted small' }, 'Velden met * zijn verplicht.'),
    h('fieldset', { class: 'form-section' }, h('legend', {}, 'Soort relatie'),
      editing
        ? h('p', {}, h('span', { class: 'muted' }, 'Soort partij: '), label('PartyType', relation.partyType))
        : choiceGroup({ name: 'partyType', legend: 'Soort partij', type: 'radio', options: options('PartyType'),
          value: v.partyType, required: true, onChange: (event) => showParty(event.target.value) }),
      choiceGroup({ name: 'kinds', legend: 'Rol voor kantoor', options: options('RelationKind'), value: v.kinds, onChange: showAgency }),
      h('div', { class: 'field-grid' }, agencyField,
        editing ? selectField({ name: 'status', label: 'Status', options: options('RelationStatus'), value: v.status, empty: null, size: 'half' }) : null)),
    personSet,
    organisationSet,
    h('fieldset', { class: 'form-section' }, h('legend', {}, 'Rechtsvorm en belasting'),
      h('div', { class: 'field-grid' },
        selectField({ name: 'legalForm', label: 'Rechtsvorm', options: options('LegalForm'), value: v.legalForm, empty: 'Geen of onbekend', size: 'half' }),
        selectField({ name: 'taxRegime', label: 'Belastingregime', options: options('TaxRegime'), value: v.taxRegime, empty: 'Afleiden uit rechtsvorm', size: 'half' }))),
    h('fieldset', { class: 'form-section' }, h('legend', {}, 'Bereikbaarheid'),
      h('div', { class: 'field-grid' },
        textField({ name: 'email', label: 'E-mailadres', type: 'email', value: v.email, autocomplete: 'off', spellcheck: 'false', size: 'half' }),
        textField({ name: 'phone', label: 'Telefoon', type: 'tel', value: v.phone, autocomplete: 'off', size: 'half' }),
        textField({ name: 'website', label: 'Website', type: 'url', value: v.website, autocomplete: 'off', spellcheck: 'false' }))),
    h('fieldset', { class: 'form-section' }, h('legend', {}, 'Bezoekadres'),
      h('div', { class: 'field-grid' }, addressFields(v))),
    h('div', { class: 'form-actions' }, save, h('a', { class: 'button', href: cancelHref }, 'Annuleren')));
  showParty(v.partyType);
  showAgency();
  return { form, summary, initial: readValues(form) };
}

export function renderRelationForm(container, ctx) {
  const editing = ctx.mode === 'edit';
  const title = editing ? 'Relatie wijzigen' : 'Nieuwe relatie';
  ctx.setTitle(title);
  const heading = h('h1', { tabindex: '-1' }, title);
  const body = h('div', { 'aria-busy': editing ? 'true' : null });
  container.append(h('div', { class: 'form-page' },
    editing ? h('p', { class: 'breadcrumb' }, h('a', { href: relationPath(ctx.id) }, '‹ Terug naar de relatie')) : null,
    heading, body));

  const mount = (relation) => {
    const { form, summary, initial } = buildForm(relation);
    body.replaceChildren(form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit({ form, summary, initial, relation, ctx });
    });
  };

  if (!editing) {
    mount(null);
    return {};
  }
  query(RELATION_CARD, cardVariables(ctx.id))
    .then((data) => {
      if (!ctx.isCurrent()) return;
      if (!data?.relation) {
        body.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, 'Deze relatie bestaat niet of u heeft er geen toegang toe.'));
        return;
      }
      heading.textContent = `${data.relation.displayName} wijzigen`;
      ctx.setTitle(heading.textContent);
      mount(data.relation);
    })
    .catch((error) => {
      if (!ctx.isCurrent() || error instanceof AuthError) return;
      body.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, errorMessage(error)));
    })
    .finally(() => body.removeAttribute('aria-busy'));
  return {};
}

async function submit({ form, summary, initial, relation, ctx }) {
  const values = readValues(form);
  const input = relation ? updateInput(initial, values, relation) : createInput(values);
  if (relation && Object.keys(input).length === 0) {
    ctx.navigate(relationPath(relation.id));
    ctx.notify('Er is niets gewijzigd.', 'info');
    return;
  }
  const done = busy(form);
  try {
    const payload = relation
      ? await mutate(UPDATE_RELATION, { id: relation.id, input }, 'updateRelation')
      : await mutate(CREATE_RELATION, { input }, 'createRelation');
    if (payload.errors.length) {
      showErrors(form, summary, payload.errors);
      return;
    }
    const id = payload.relation?.id ?? relation?.id;
    ctx.navigate(relationPath(id));
    ctx.notify(relation ? 'De wijzigingen zijn opgeslagen.' : 'De relatie is aangemaakt.', 'success');
  } catch (error) {
    if (!(error instanceof AuthError)) showGeneralError(form, summary, errorMessage(error));
  } finally {
    done();
  }
}
