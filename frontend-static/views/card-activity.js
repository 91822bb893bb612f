// Card sections with actions or their own loading: appointments, linked accounts (single
// sign-on drill-down), custom fields and snapshots.

import { h, definitionList, emptyState, srOnly } from '../dom.js';
import { mutate, errorMessage, AuthError } from '../api.js';
import { DRILL_DOWN, CREATE_SNAPSHOT } from '../queries.js';
import { label, userErrorMessage } from '../i18n.js';
import { formatRange, formatDateTime, formatCustomValue } from '../format.js';
import { textareaField, errorSummary, showErrors, showGeneralError, busy } from '../form-kit.js';
import { openDialog } from '../dialog.js';
import { section } from './card-sections.js';

export function appointmentsSection(card) {
  const appointments = [...(card.relation.appointments ?? [])]
    .sort((a, b) => String(a.start).localeCompare(String(b.start)));
  const items = appointments.map((a) => {
    const people = [...(a.employees ?? []).map((e) => e.name), ...(a.contacts ?? []).map((c) => c.displayName)];
    return h('li', { class: 'row', 'data-testid': 'appointment-row' },
      h('p', { class: 'row__title' }, a.title,
        a.status && a.status !== 'PLANNED' ? h('span', { class: 'badge badge--muted' }, label('AppointmentStatus', a.status)) : null),
      h('p', { class: 'small' }, h('time', { datetime: a.start }, formatRange(a.start, a.end)),
        a.location ? ` · ${a.location}` : null),
      people.length ? h('p', { class: 'muted small' }, `Met ${people.join(', ')}`) : null);
  });
  return section('appointments', 'Afspraken',
    items.length ? h('ul', { class: 'rows' }, items) : emptyState('Geen afspraken in de komende 90 dagen.'));
}

/** Only an absolute http(s) URL may be opened. */
function drillDownUrl(value) {
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

async function openAccount(account, card, button) {
  // Open the tab during the click (a user gesture, so no popup blocker) and fill it in later.
  const tab = window.open('', '_blank');
  if (tab) tab.opener = null;
  button.disabled = true;
  try {
    const payload = await mutate(DRILL_DOWN, { id: account.id }, 'drillDown');
    const url = drillDownUrl(payload.drillDown?.url);
    if (payload.errors.length || !url) {
      tab?.close();
      card.ctx.notify(payload.errors.length ? userErrorMessage(payload.errors[0]) : 'Openen is niet gelukt.', 'error');
    } else if (tab) {
      tab.location.href = url;
    } else {
      window.open(url, '_blank', 'noopener');
    }
  } catch (error) {
    tab?.close();
    if (!(error instanceof AuthError)) card.ctx.notify(errorMessage(error), 'error');
  } finally {
    button.disabled = false;
  }
}

export function accountsSection(card) {
  const accounts = card.relation.accounts ?? [];
  const items = accounts.map((account) => {
    const button = h('button', {
      type: 'button', class: 'button button--small', 'data-testid': 'account-open', 'data-account-id': account.id,
    }, 'Openen', srOnly(` in ${account.system?.name ?? 'gekoppeld systeem'} (nieuw tabblad)`));
    button.addEventListener('click', () => openAccount(account, card, button));
    return h('li', { class: 'row row--action', 'data-testid': 'account-row' },
      h('div', {},
        h('p', { class: 'row__title' }, account.system?.name ?? '—'),
        h('p', { class: 'muted small' }, [label('LinkedSystemKind', account.system?.kind), `nummer ${account.externalId}`]
          .filter(Boolean).join(' · '), ' · ',
        h('span', { class: `status status--${String(account.syncState).toLowerCase()}` },
          label('DeliveryState', account.syncState)))),
      button);
  });
  return section('accounts', 'Gekoppelde systemen',
    items.length ? h('ul', { class: 'rows' }, items) : emptyState('Nog niet gekoppeld aan andere systemen.'));
}

/** Custom field values as a <dl>, grouped by their definition's group. */
export function customFieldList(values, { groupHeadings = true } = {}) {
  const groups = new Map();
  for (const value of values ?? []) {
    const group = value.definition?.group || '';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(value);
  }
  const named = [...groups.keys()].some(Boolean);
  return [...groups.entries()].sort(([a], [b]) => (a || '\uffff').localeCompare(b || '\uffff', 'nl'))
    .map(([group, list]) => h('div', { class: 'field-group', 'data-group': group },
      groupHeadings && named ? h('h3', {}, group || 'Overige velden') : null,
      definitionList(list.map((v) => [v.definition.key, v.definition.label,
        formatCustomValue(v.value, v.definition.type)]))));
}

export function customFieldsSection(card) {
  const values = card.relation.customFields ?? [];
  return section('customFields', 'Extra velden',
    values.length ? customFieldList(values) : emptyState('Geen extra velden ingevuld.'));
}

function snapshotItems(snapshots) {
  return [...snapshots].sort((a, b) => String(b.takenAt).localeCompare(String(a.takenAt)))
    .map((s) => h('li', { class: 'row', 'data-testid': 'snapshot-row', 'data-id': s.id },
      h('p', { class: 'row__title' }, s.reason),
      h('p', { class: 'muted small' }, h('time', { datetime: s.takenAt }, formatDateTime(s.takenAt)),
        ' · controlegetal ', h('code', { title: s.contentHash }, String(s.contentHash ?? '').slice(0, 12)))));
}

function openSnapshotDialog(card, onCreated) {
  const summary = errorSummary();
  const save = h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'save' }, 'Momentopname maken');
  const cancel = h('button', { type: 'button', class: 'button' }, 'Annuleren');
  const form = h('form', { class: 'form', novalidate: true, 'data-testid': 'snapshot-form' }, summary,
    h('p', {}, 'Een momentopname legt de hele relatiekaart vast zoals die nu is; hij kan niet meer worden gewijzigd.'),
    textareaField({ name: 'reason', label: 'Reden', prefix: '', required: true,
      hint: 'Bijvoorbeeld: jaarafsluiting 2024, controle of overdracht.' }),
    h('div', { class: 'form-actions' }, save, cancel));
  const { close } = openDialog({
    title: 'Momentopname maken', content: form, testId: 'snapshot-dialog',
    returnFocus: () => document.querySelector('[data-testid="snapshot-create"]'),
  });
  cancel.addEventListener('click', () => close());
  form.elements.reason.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = form.elements.reason.value.trim();
    if (!reason) {
      showErrors(form, summary, [{ field: ['reason'], code: 'REQUIRED', text: 'Vul een reden in.' }]);
      return;
    }
    const done = busy(form);
    try {
      const payload = await mutate(CREATE_SNAPSHOT, { relationId: card.relation.id, reason }, 'createSnapshot');
      if (payload.errors.length) {
        showErrors(form, summary, payload.errors);
      } else {
        close();
        onCreated(payload.snapshot);
        card.ctx.notify('De momentopname is gemaakt.', 'success');
      }
    } catch (error) {
      if (!(error instanceof AuthError)) showGeneralError(form, summary, errorMessage(error));
    } finally {
      done();
    }
  });
}

export function snapshotsSection(card) {
  const snapshots = [...(card.relation.snapshots ?? [])];
  const body = h('div', {});
  const draw = () => body.replaceChildren(snapshots.length
    ? h('ul', { class: 'rows' }, snapshotItems(snapshots)) : emptyState('Nog geen momentopnamen.'));
  draw();
  const create = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'snapshot-create' },
    'Momentopname maken');
  create.addEventListener('click', () => openSnapshotDialog(card, (snapshot) => {
    if (snapshot) snapshots.push(snapshot);
    draw();
  }));
  return section('snapshots', 'Momentopnamen', body, { actions: create });
}
