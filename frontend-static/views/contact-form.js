// The contact person form, in a modal dialog: add (addContactPerson) or edit
// (updateContactPerson, only the changed fields). Input names are paths below `input`.

import { h } from '../dom.js';
import { query, mutate, errorMessage, AuthError } from '../api.js';
import { RELATION_CONTACTS, ADD_CONTACT, UPDATE_CONTACT } from '../queries.js';
import {
  textField, checkboxField, readValues, changedNames, errorSummary, showErrors, showGeneralError, busy,
} from '../form-kit.js';
import { openDialog } from '../dialog.js';

const FIELDS = [
  { name: 'initials', label: 'Voorletters', size: 'quarter', autocomplete: 'off' },
  { name: 'firstName', label: 'Voornaam', size: 'half', autocomplete: 'off' },
  { name: 'prefix', label: 'Tussenvoegsel', size: 'quarter', autocomplete: 'off' },
  { name: 'lastName', label: 'Achternaam', size: 'half', required: true, autocomplete: 'off' },
  { name: 'jobTitle', label: 'Functie', size: 'half' },
  { name: 'department', label: 'Afdeling', size: 'half' },
  { name: 'email', label: 'E-mailadres', type: 'email', size: 'half', autocomplete: 'off', spellcheck: 'false' },
  { name: 'phone', label: 'Telefoon', type: 'tel', size: 'half', autocomplete: 'off' },
  { name: 'mobile', label: 'Mobiel', type: 'tel', size: 'half', autocomplete: 'off' },
];

async function loadContact(relationId, contactId) {
  const data = await query(RELATION_CONTACTS, { id: relationId });
  return (data?.relation?.contacts ?? []).find((contact) => contact.id === contactId) ?? null;
}

/** The input for addContactPerson: every filled-in field. */
function createInput(values) {
  const input = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'boolean' || value !== '') input[name] = value;
  }
  return input;
}

/** The input for updateContactPerson: the changed fields; a cleared field becomes null. */
function updateInput(initial, values) {
  const input = {};
  for (const name of changedNames(initial, values)) input[name] = values[name] === '' ? null : values[name];
  return input;
}

/**
 * Open the contact form. `contactId` null adds a contact to `relationId`.
 * `onSaved(contactId)` runs after a successful save; `returnFocus()` picks where focus goes
 * when the dialog closes without saving.
 */
export async function openContactForm({ relationId, contactId = null, ctx, onSaved, returnFocus }) {
  let contact = null;
  if (contactId) {
    try {
      contact = await loadContact(relationId, contactId);
    } catch (error) {
      if (!(error instanceof AuthError)) ctx.notify(errorMessage(error), 'error');
      return;
    }
    if (!contact) {
      ctx.notify('Deze contactpersoon bestaat niet meer.', 'error');
      return;
    }
  }
  const summary = errorSummary();
  const save = h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'save' }, 'Opslaan');
  const cancel = h('button', { type: 'button', class: 'button' }, 'Annuleren');
  const form = h('form', { class: 'form', novalidate: true, 'data-testid': 'contact-form' },
    summary,
    h('p', { class: 'muted small' }, 'Velden met * zijn verplicht.'),
    h('div', { class: 'field-grid' },
      FIELDS.map((field) => textField({ ...field, value: contact?.[field.name] ?? '' }))),
    checkboxField({ name: 'isPrimary', label: 'Primaire contactpersoon', checked: contact?.isPrimary }),
    h('div', { class: 'form-actions' }, save, cancel));
  const initial = readValues(form);
  let saved = false;
  const { close } = openDialog({
    title: contact ? 'Contactpersoon wijzigen' : 'Contactpersoon toevoegen',
    content: form,
    testId: 'contact-dialog',
    returnFocus: () => (saved ? null : returnFocus?.()),
  });
  cancel.addEventListener('click', () => close());
  form.elements[contact ? 'lastName' : 'initials'].focus();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = readValues(form);
    const input = contact ? updateInput(initial, values) : createInput(values);
    if (contact && Object.keys(input).length === 0) {
      close();
      ctx.notify('Er is niets gewijzigd.', 'info');
      return;
    }
    const done = busy(form);
    try {
      const payload = contact
        ? await mutate(UPDATE_CONTACT, { id: contact.id, input }, 'updateContactPerson')
        : await mutate(ADD_CONTACT, { relationId, input }, 'addContactPerson');
      if (payload.errors.length) {
        showErrors(form, summary, payload.errors);
        return;
      }
      saved = true;
      close();
      ctx.notify(contact ? 'De contactpersoon is gewijzigd.' : 'De contactpersoon is toegevoegd.', 'success');
      onSaved?.(payload.contact?.id ?? contact?.id ?? null);
    } catch (error) {
      if (!(error instanceof AuthError)) showGeneralError(form, summary, errorMessage(error));
    } finally {
      done();
    }
  });
}
