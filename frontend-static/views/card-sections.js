// Card sections that only show data: identity, addresses, partner, links, shareholdings,
// staff. Each returns a <section data-section="..."> (see section()).

import { h, definitionList, emptyState, relationLink, srOnly, uniqueId } from '../dom.js';
import { query, maySeeBsn, errorMessage, AuthError } from '../api.js';
import { RELATION_BSN } from '../queries.js';
import { label } from '../i18n.js';
import {
  formatDate, formatDateTime, formatPostcode, formatPhone, formatPercentage, safeUrl, yesNo,
} from '../format.js';

/** A card section with a stable hook: section[data-section=key], heading focusable. */
export function section(key, title, content, { actions = null, wide = false } = {}) {
  const headingId = `section-${key}`;
  return h('section', {
    class: wide ? 'section section--wide' : 'section', 'data-section': key,
    'data-testid': `section-${key}`, 'aria-labelledby': headingId,
  },
  h('div', { class: 'section__header' },
    h('h2', { id: headingId, tabindex: '-1' }, title),
    actions ? h('div', { class: 'section__actions' }, actions) : null),
  h('div', { class: 'section__body' }, content));
}

export function emailLink(email) {
  return email ? h('a', { href: `mailto:${email}` }, email) : null;
}

export function phoneLink(phone) {
  return phone ? h('a', { href: `tel:${String(phone).replace(/\s+/g, '')}` }, formatPhone(phone)) : null;
}

function websiteLink(website) {
  const url = safeUrl(website);
  if (!url) return website || null;
  const text = String(website).replace(/^https?:\/\//i, '').replace(/\/$/, '');
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text, srOnly(' (opent in nieuw tabblad)'));
}

function badges(enumName, values) {
  return (values ?? []).map((value) => h('span', { class: 'badge' }, label(enumName, value)));
}

/** The BSN, masked; roles that may see it get a button that fetches it (an audited read). */
function bsnValue(relation, card) {
  const masked = relation.person?.bsnMasked;
  if (!masked) return null;
  const valueId = uniqueId('bsn');
  const value = h('span', { id: valueId, class: 'mono', 'data-testid': 'bsn', 'aria-live': 'polite' }, masked);
  if (!maySeeBsn(card.session)) return value;
  let shown = false;
  const button = h('button', {
    type: 'button', class: 'button button--small', 'data-testid': 'show-bsn', 'aria-controls': valueId,
  }, 'Toon BSN');
  button.addEventListener('click', async () => {
    if (shown) {
      value.textContent = masked;
      button.textContent = 'Toon BSN';
      shown = false;
      return;
    }
    button.disabled = true;
    try {
      const data = await query(RELATION_BSN, { id: relation.id }, { quietPartial: true });
      const bsn = data?.relation?.person?.bsn;
      if (bsn) {
        value.textContent = bsn;
        button.textContent = 'Verberg BSN';
        shown = true;
      } else {
        card.ctx.notify('Het volledige BSN is niet beschikbaar of u heeft er geen toegang toe.', 'error');
      }
    } catch (error) {
      if (!(error instanceof AuthError)) card.ctx.notify(errorMessage(error), 'error');
    } finally {
      button.disabled = false;
    }
  });
  return h('span', { class: 'bsn' }, value, ' ', button);
}

function block(title, rows) {
  const list = definitionList(rows);
  return list.children.length ? h('div', { class: 'identity__block' }, h('h3', {}, title), list) : null;
}

function sbrBlock(sbr) {
  const list = definitionList([
    ['registeredSeat', 'Statutaire zetel', sbr.registeredSeat],
    ['sizeCategory', 'Grootteklasse', label('EntitySize', sbr.sizeCategory)],
    ['financialYearStart', 'Begin boekjaar', sbr.financialYearStart],
    ['reportingCurrency', 'Rapportagevaluta', sbr.reportingCurrency],
    ['consolidates', 'Geconsolideerd', yesNo(sbr.consolidates)],
    ['filingContact', 'Contactpersoon deponering', sbr.filingContact?.displayName],
  ]);
  // Needed a few times a year (filing), so folded away.
  return list.children.length
    ? h('details', { class: 'identity__block identity__more' }, h('summary', {}, 'SBR-gegevens'), list) : null;
}

/** Identity, fiscal numbers and reachability. Party type and kinds are in the card's header. */
export function identitySection(card) {
  const r = card.relation;
  const p = r.person;
  const o = r.organisation;
  const blocks = [
    block('Algemeen', [
      o && ['legalName', 'Statutaire naam', o.legalName],
      o && ['tradeNames', 'Handelsnamen', (o.tradeNames ?? []).join(', ')],
      p && ['initials', 'Voorletters', p.initials],
      p && ['firstNames', 'Voornamen', p.firstNames],
      p && ['givenName', 'Roepnaam', p.givenName],
      p && ['prefix', 'Tussenvoegsel', p.prefix],
      p && ['lastName', 'Achternaam', p.lastName],
      p && ['dateOfBirth', 'Geboortedatum', formatDate(p.dateOfBirth)],
      ['agencyType', 'Soort instantie', label('AgencyType', r.agencyType)],
      ['legalForm', 'Rechtsvorm', label('LegalForm', r.legalForm)],
      ['taxRegime', 'Belastingregime', label('TaxRegime', r.taxRegime)],
      ['status', 'Status', label('RelationStatus', r.status)],
      o && ['foundedOn', 'Opgericht op', formatDate(o.foundedOn)],
      o && ['sbiCodes', 'SBI-codes', (o.sbiCodes ?? []).join(', ')],
    ]),
    block('Fiscale nummers', [
      p && ['bsn', 'BSN', bsnValue(r, card) ?? 'Niet vastgelegd'],
      o && ['kvkNumber', 'KvK-nummer', o.kvkNumber],
      o && ['establishmentNumber', 'Vestigingsnummer', o.establishmentNumber],
      o && ['rsin', 'RSIN', o.rsin],
      o && ['vatNumber', 'Btw-id', o.vatNumber],
      o && ['payrollTaxNumber', 'Loonheffingennummer', o.payrollTaxNumber],
    ]),
    block('Bereikbaarheid', [
      ['email', 'E-mail', emailLink(r.email)],
      ['phone', 'Telefoon', phoneLink(r.phone)],
      ['website', 'Website', websiteLink(r.website)],
    ]),
    r.sbr ? sbrBlock(r.sbr) : null,
  ];
  return section('identity', 'Gegevens', [
    blocks,
    h('p', { class: 'muted small identity__stamp' },
      `Aangemaakt ${formatDateTime(r.createdAt)}`, h('br'), `Gewijzigd ${formatDateTime(r.updatedAt)}`),
  ]);
}

export function addressesSection(card) {
  const addresses = card.relation.addresses ?? [];
  const items = addresses.map((a) => h('li', { class: 'row', 'data-testid': 'address-row' },
    h('h3', { class: 'row__title' }, label('AddressType', a.type)),
    h('p', { class: 'address' },
      h('span', {}, [a.street, a.houseNumber, a.houseNumberAddition].filter(Boolean).join(' ')),
      h('span', {}, [formatPostcode(a.postalCode, a.countryCode), a.city].filter(Boolean).join(' ')),
      a.countryCode && a.countryCode !== 'NL' ? h('span', {}, a.countryCode) : null)));
  return section('addresses', 'Adressen',
    items.length ? h('ul', { class: 'rows' }, items) : emptyState('Geen adressen vastgelegd.'));
}

export function partnerSection(card) {
  const partnership = card.relation.partnership;
  let content;
  if (partnership) {
    const partner = partnership.partner;
    content = definitionList([
      ['partner', 'Partner', relationLink(partner, { 'data-testid': 'partner-link' })],
      ['partnerNumber', 'Relatienummer', partner?.number],
      ['type', 'Soort', label('PartnershipType', partnership.type)],
      ['fiscalPartner', 'Fiscaal partner', yesNo(partnership.fiscalPartner)],
      ['since', 'Sinds', formatDate(partnership.since)],
      ['dateOfBirth', 'Geboortedatum', formatDate(partner?.person?.dateOfBirth)],
      ['bsnMasked', 'BSN', partner?.person?.bsnMasked],
    ]);
  } else {
    content = emptyState(card.relation.partyType === 'PERSON'
      ? 'Geen partner vastgelegd.' : 'Alleen van toepassing op personen.');
  }
  return section('partner', 'Partner', content);
}

function linkContact(link) {
  const to = link.to ?? {};
  const contact = link.contact;
  const parts = contact
    ? [contact.displayName, phoneLink(contact.phone), emailLink(contact.email)]
    : [phoneLink(to.phone), emailLink(to.email)];
  const shown = parts.filter(Boolean);
  return shown.length ? h('p', { class: 'muted small link__reach' }, shown.flatMap((part, i) => (i ? [' · ', part] : [part]))) : null;
}

export function linksSection(card) {
  const links = [...(card.relation.links ?? [])]
    .sort((a, b) => label('RelationLinkType', a.type).localeCompare(label('RelationLinkType', b.type), 'nl'));
  const items = links.map((link) => h('li', { class: 'row link', 'data-testid': 'link-row' },
    h('span', { class: 'link__type' }, label('RelationLinkType', link.type)),
    h('div', { class: 'link__main' },
      h('p', { class: 'row__title' }, relationLink(link.to, { 'data-testid': 'link-to' }),
        link.to?.number ? h('span', { class: 'muted small' }, ` ${link.to.number}`) : null),
      linkContact(link),
      link.note || link.since ? h('p', { class: 'muted small' },
        [link.note, link.since ? `sinds ${formatDate(link.since)}` : null].filter(Boolean).join(' · ')) : null)));
  return section('links', 'Eigen relaties',
    items.length ? h('ul', { class: 'rows' }, items) : emptyState('Geen eigen relaties (belastingkantoor, notaris, bank …) vastgelegd.'));
}

function shareholdingList(items, otherKey, testId) {
  return h('ul', { class: 'rows' }, items.map((item) => {
    const other = item[otherKey];
    return h('li', { class: 'row row--inline', 'data-testid': testId },
      h('span', { class: 'row__figure' }, formatPercentage(item.percentage)),
      h('span', {}, relationLink(other), other?.legalForm ? h('span', { class: 'muted' }, ` · ${label('LegalForm', other.legalForm)}`) : null),
      item.fiscalUnityCorporateTax ? h('span', { class: 'badge' }, 'Fiscale eenheid Vpb') : null,
      item.since ? h('span', { class: 'muted small' }, `sinds ${formatDate(item.since)}`) : null);
  }));
}

export function shareholdingsSection(card) {
  const holders = card.relation.shareholders ?? [];
  const participations = card.relation.participations ?? [];
  return section('shareholdings', 'Aandeelhouders en deelnemingen', [
    h('h3', {}, 'Aandeelhouders'),
    holders.length ? shareholdingList(holders, 'holder', 'shareholder-row') : emptyState('Geen aandeelhouders vastgelegd.'),
    h('h3', {}, 'Deelnemingen'),
    participations.length ? shareholdingList(participations, 'subsidiary', 'participation-row') : emptyState('Geen deelnemingen vastgelegd.'),
  ]);
}

export function staffSection(card) {
  const staff = card.relation.staff ?? [];
  const items = staff.map((assignment) => h('li', { class: 'row', 'data-testid': 'staff-row' },
    h('p', { class: 'row__title' }, assignment.employee?.name ?? '—',
      h('span', { class: 'row__aside' }, label('AssignmentRole', assignment.role))),
    h('p', { class: 'muted small' }, [emailLink(assignment.employee?.email),
      assignment.since ? ` · sinds ${formatDate(assignment.since)}` : null])));
  return section('staff', 'Medewerkers van kantoor',
    items.length ? h('ul', { class: 'rows' }, items) : emptyState('Nog geen medewerkers toegewezen.'));
}
