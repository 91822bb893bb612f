// The relation card at /relations/<id>: one RelationCard query (the contract's text,
// verbatim) for the whole card, plus small queries for history and the BSN.

import { h, append, relationPath, relationLink } from '../dom.js';
import { query, errorMessage, AuthError } from '../api.js';
import { RELATION_CARD, cardVariables } from '../queries.js';
import { label } from '../i18n.js';
import { formatDate } from '../format.js';
import {
  identitySection, addressesSection, partnerSection, linksSection, shareholdingsSection, staffSection,
} from './card-sections.js';
import { groupSection } from './card-group.js';
import { contactsSection } from './card-contacts.js';
import {
  appointmentsSection, accountsSection, customFieldsSection, snapshotsSection,
} from './card-activity.js';
import { historySection } from './card-history.js';
import { searchHref } from './search.js';

// The profile column (who the relation is) comes first, the work column (whom to call,
// what is linked, what happened) second: that is also the reading and focus order.
const PROFILE_SECTIONS = [identitySection, addressesSection, staffSection, accountsSection,
  partnerSection];
const WORK_SECTIONS = [contactsSection, appointmentsSection, linksSection, groupSection,
  shareholdingsSection, customFieldsSection, snapshotsSection, historySection];

/** The few facts an employee looks for first, in a strip under the name. */
function keyFacts(relation) {
  const visiting = (relation.addresses ?? []).find((a) => a.type === 'VISITING') ?? relation.addresses?.[0];
  const manager = (relation.staff ?? []).find((s) => s.role === 'RELATION_MANAGER') ?? relation.staff?.[0];
  const primary = (relation.contacts ?? []).find((c) => c.isPrimary);
  const facts = relation.partyType === 'PERSON'
    ? [['Geboortedatum', formatDate(relation.person?.dateOfBirth)],
      ['Partner', relation.partnership ? relationLink(relation.partnership.partner) : null]]
    : [['KvK-nummer', relation.organisation?.kvkNumber],
      ['Primair contact', primary ? primary.displayName : null]];
  facts.splice(1, 0, ['Plaats', visiting?.city]);
  facts.push([manager ? label('AssignmentRole', manager.role) : 'Relatiebeheerder', manager?.employee?.name]);
  return h('dl', { class: 'keyfacts', 'data-testid': 'key-facts' }, facts.filter(([, value]) => value)
    .map(([term, value]) => h('div', { class: 'keyfacts__item' }, h('dt', {}, term), h('dd', {}, value))));
}

function summaryLine(relation) {
  return [
    h('span', { class: 'card__number' }, relation.number),
    (relation.kinds ?? []).map((kind) => h('span', { class: 'badge badge--accent' }, label('RelationKind', kind))),
    relation.status && relation.status !== 'ACTIVE'
      ? h('span', { class: 'badge badge--muted' }, label('RelationStatus', relation.status)) : null,
    h('span', { class: 'muted' }, relation.legalForm ? label('LegalForm', relation.legalForm) : label('PartyType', relation.partyType)),
  ];
}

export function renderCard(container, ctx) {
  ctx.setTitle('Relatie');
  const heading = h('h1', { tabindex: '-1', class: 'card__title', 'data-testid': 'card-title' }, 'Relatie wordt geladen…');
  const summary = h('div', { class: 'card__summary' });
  const actions = h('div', { class: 'card__actions' });
  const facts = h('div', { class: 'card__facts' });
  const body = h('div', { class: 'card__body', 'aria-busy': 'true' });
  container.append(h('div', { class: 'card', 'data-testid': 'card', 'data-id': ctx.id },
    h('p', { class: 'breadcrumb' }, h('a', { href: searchHref() }, '‹ Terug naar zoeken')),
    h('div', { class: 'card__header' }, h('div', { class: 'card__heading' }, heading, summary), actions),
    facts,
    body));

  function draw(relation) {
    ctx.setTitle(relation.displayName);
    heading.textContent = relation.displayName;
    summary.replaceChildren();
    append(summary, summaryLine(relation));
    facts.replaceChildren(keyFacts(relation));
    actions.replaceChildren(h('a', {
      class: 'button', href: `${relationPath(relation.id)}?view=edit`, 'data-testid': 'relation-edit',
    }, 'Bewerken'));
    const card = { relation, ctx, session: ctx.session, reload };
    body.replaceChildren(
      h('div', { class: 'card__profile' }, PROFILE_SECTIONS.map((render) => render(card))),
      h('div', { class: 'card__work' }, WORK_SECTIONS.map((render) => render(card))),
    );
  }

  function fail(title, message, retry) {
    ctx.setTitle(title);
    heading.textContent = title;
    body.replaceChildren(h('p', { class: 'notice notice--error', role: 'alert' }, message));
    if (retry) body.append(h('button', { type: 'button', class: 'button', onclick: () => load() }, 'Opnieuw proberen'));
  }

  async function load({ focus } = {}) {
    body.setAttribute('aria-busy', 'true');
    try {
      const data = await query(RELATION_CARD, cardVariables(ctx.id));
      if (!ctx.isCurrent()) return;
      if (data?.relation) draw(data.relation);
      else fail('Relatie niet gevonden', 'Deze relatie bestaat niet of u heeft er geen toegang toe.', false);
      focus?.()?.focus();
    } catch (error) {
      if (!ctx.isCurrent() || error instanceof AuthError) return;
      fail('Relatie kon niet worden geladen', errorMessage(error), true);
    } finally {
      body.removeAttribute('aria-busy');
    }
  }

  /** Load the card again after a change, keeping the scroll position. */
  function reload({ focus } = {}) {
    const { scrollX, scrollY } = window;
    return load({ focus }).then(() => window.scrollTo(scrollX, scrollY));
  }

  load();
  return {};
}
