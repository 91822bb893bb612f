// The contacts section: contact persons with their custom fields; add, edit and remove.

import { h, emptyState, srOnly } from '../dom.js';
import { mutate, errorMessage, AuthError } from '../api.js';
import { REMOVE_CONTACT } from '../queries.js';
import { confirmDialog } from '../dialog.js';
import { userErrorMessage } from '../i18n.js';
import { openContactForm } from './contact-form.js';
import { section, emailLink, phoneLink } from './card-sections.js';
import { customFieldList } from './card-activity.js';

function contactsHeading() {
  return document.querySelector('section[data-section="contacts"] h2');
}

function editButtonFor(contactId) {
  return [...document.querySelectorAll('[data-testid="contact-edit"]')]
    .find((button) => button.dataset.contactId === contactId) ?? null;
}

async function removeContact(card, contact) {
  const confirmed = await confirmDialog({
    title: 'Contactpersoon verwijderen',
    message: `Weet u zeker dat u ${contact.displayName} wilt verwijderen als contactpersoon?`,
    confirmLabel: 'Verwijderen',
    danger: true,
  });
  if (!confirmed) return;
  try {
    const payload = await mutate(REMOVE_CONTACT, { id: contact.id }, 'removeContactPerson');
    if (payload.errors.length) {
      card.ctx.notify(payload.errors.map(userErrorMessage).join(' '), 'error');
      return;
    }
    card.ctx.notify(`${contact.displayName} is verwijderd.`, 'success');
    card.reload({ focus: contactsHeading });
  } catch (error) {
    if (!(error instanceof AuthError)) card.ctx.notify(errorMessage(error), 'error');
  }
}

function contactRow(card, contact) {
  const edit = h('button', {
    type: 'button', class: 'button button--small', 'data-testid': 'contact-edit', 'data-contact-id': contact.id,
  }, 'Wijzigen', srOnly(` ${contact.displayName}`));
  const remove = h('button', {
    type: 'button', class: 'button button--small button--quiet', 'data-testid': 'contact-remove', 'data-contact-id': contact.id,
  }, 'Verwijderen', srOnly(` ${contact.displayName}`));
  edit.addEventListener('click', () => openContactForm({
    relationId: card.relation.id,
    contactId: contact.id,
    ctx: card.ctx,
    onSaved: (id) => card.reload({ focus: () => editButtonFor(id) ?? contactsHeading() }),
    returnFocus: () => edit,
  }));
  remove.addEventListener('click', () => removeContact(card, contact));

  const role = [contact.jobTitle, contact.department].filter(Boolean).join(' · ');
  const reach = [
    contact.phone ? h('span', {}, phoneLink(contact.phone)) : null,
    contact.mobile ? h('span', {}, phoneLink(contact.mobile), h('span', { class: 'muted' }, ' mobiel')) : null,
    contact.email ? h('span', {}, emailLink(contact.email)) : null,
  ].filter(Boolean);
  return h('li', { class: 'row contact', 'data-testid': 'contact-row', 'data-id': contact.id },
    h('div', { class: 'contact__who' },
      h('p', { class: 'row__title' }, contact.displayName,
        contact.isPrimary ? h('span', { class: 'badge badge--accent' }, 'Primair') : null),
      role ? h('p', { class: 'muted small' }, role) : null),
    h('div', { class: 'contact__reach small' }, reach.length ? reach : h('span', { class: 'muted' }, 'Geen telefoon of e-mail')),
    h('div', { class: 'row__actions' }, edit, remove),
    contact.customFields?.length
      ? h('div', { class: 'contact__fields' }, customFieldList(contact.customFields, { groupHeadings: false })) : null);
}

export function contactsSection(card) {
  const contacts = [...(card.relation.contacts ?? [])]
    .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.displayName.localeCompare(b.displayName, 'nl'));
  const add = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'contact-add' },
    'Contactpersoon toevoegen');
  add.addEventListener('click', () => openContactForm({
    relationId: card.relation.id,
    ctx: card.ctx,
    onSaved: (id) => card.reload({ focus: () => editButtonFor(id) ?? contactsHeading() }),
    returnFocus: () => add,
  }));
  return section('contacts', 'Contactpersonen',
    contacts.length ? h('ul', { class: 'rows' }, contacts.map((contact) => contactRow(card, contact)))
      : emptyState('Nog geen contactpersonen.'),
    { actions: add });
}
