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
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, website, srOnly(' (opent in nieuw tabblad)'));
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

export function identitySection(card) {
  const r = card.relation;
  const p = r.person;
  const o = r.organisation;
  const s = r.sbr;
  const blocks = [
    definitionList([
      ['number', 'Relatienummer', r.number],
      ['partyType', 'Soort partij', label('PartyType', r.partyType)],
      ['kinds', 'Soort relatie', badges('RelationKind', r.kinds)],
      ['agencyType', 'Soort instantie', label('AgencyType', r.agencyType)],
      ['status', 'Status', label('RelationStatus', r.status)],
      ['legalForm', 'Rechtsvorm', label('LegalForm', r.legalForm)],
      ['taxRegime', 'Belastingregime', label('TaxRegime', r.taxRegime)],
      p && ['initials', 'Voorletters', p.initials],
      p && ['firstNames', 'Voornamen', p.firstNames],
      p && ['givenName', 'Roepnaam', p.givenName],
      p && ['prefix', 'Tussenvoegsel', p.prefix],
      p && ['lastName', 'Achternaam', p.lastName],
      p && ['dateOfBirth', 'Geboortedatum', formatDate(p.dateOfBirth)],
      o && ['legalName', 'Statutaire naam', o.legalName],
      o && ['tradeNames', 'Handelsnamen', (o.tradeNames ?? []).join(', ')],
      o && ['foundedOn', 'Opgericht op', formatDate(o.foundedOn)],
      o && ['sbiCodes', 'SBI-codes', (o.sbiCodes ?? []).join(', ')],
    ]),
    h('h3', {}, 'Fiscale nummers'),
    definitionList([
      p && ['bsn', 'BSN', bsnValue(r, card) ?? 'Niet vastgelegd'],
      o && ['kvkNumber', 'KvK-nummer', o.kvkNumber],
      o && ['establishmentNumber', 'Vestigingsnummer', o.establishmentNumber],
      o && ['rsin', 'RSIN', o.rsin],
      o && ['vatNumber', 'Btw-id', o.vatNumber],
      o && ['payrollTaxNumber', 'Loonheffingennummer', o.payrollTaxNumber],
    ]),
    h('h3', {}, 'Bereikbaarheid'),
    definitionList([
      ['email', 'E-mailadres', emailLink(r.email)],
      ['phone', 'Telefoon', phoneLink(r.phone)],
      ['website', 'Website', websiteLink(r.website)],
    ]),
  ];
  if (s) {
    blocks.push(h('h3', {}, 'SBR-gegevens'), definitionList([
      ['registeredSeat', 'Statutaire zetel', s.registeredSeat],
      ['sizeCategory', 'Grootteklasse', label('EntitySize', s.sizeCategory)],
      ['financialYearStart', 'Begin boekjaar', s.financialYearStart],
      ['reportingCurrency', 'Rapportagevaluta', s.reportingCurrency],
      ['consolidates', 'Geconsolideerd', yesNo(s.consolidates)],
      ['filingContact', 'Contactpersoon deponering', s.filingContact?.displayName],
    ]));
  }
  blocks.push(h('p', { class: 'muted small' },
    `Aangemaakt ${formatDateTime(r.createdAt)} · laatst gewijzigd ${formatDateTime(r.updatedAt)}`));
  return section('identity', 'Gegevens', blocks);
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

export function linksSection(card) {
  const links = card.relation.links ?? [];
  const items = links.map((link) => h('li', { class: 'row', 'data-testid': 'link-row' },
    h('p', { class: 'row__title' },
      h('span', { class: 'badge badge--outline' }, label('RelationLinkType', link.type)), ' ',
      relationLink(link.to, { 'data-testid': 'link-to' }),
      link.to?.number ? h('span', { class: 'muted' }, ` (${link.to.number})`) : null),
    definitionList([
      ['agencyType', 'Soort instantie', label('AgencyType', link.to?.agencyType)],
      ['phone', 'Telefoon', phoneLink(link.to?.phone)],
      ['email', 'E-mailadres', emailLink(link.to?.email)],
      ['contact', 'Contactpersoon', link.contact ? [link.contact.displayName,
        link.contact.phone ? [' · ', phoneLink(link.contact.phone)] : null,
        link.contact.email ? [' · ', emailLink(link.contact.email)] : null] : null],
      ['since', 'Sinds', formatDate(link.since)],
      ['note', 'Notitie', link.note],
    ], { class: 'facts facts--compact' })));
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
    h('p', { class: 'row__title' }, assignment.employee?.name ?? '—'),
    h('p', { class: 'muted' }, [label('AssignmentRole', assignment.role),
      assignment.since ? `sinds ${formatDate(assignment.since)}` : null].filter(Boolean).join(' · ')),
    assignment.employee?.email ? h('p', {}, emailLink(assignment.employee.email)) : null));
  return section('staff', 'Medewerkers van kantoor',
    items.length ? h('ul', { class: 'rows' }, items) : emptyState('Nog geen medewerkers toegewezen.'));
}
