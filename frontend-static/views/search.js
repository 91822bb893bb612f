// Search view: search-as-you-type over relations, with kind filters and paging.
// The input is an ARIA combobox over a listbox of results: ArrowUp/ArrowDown move the active
// result, Enter opens it (or the first), Escape clears the search text.

import { h, relationPath } from '../dom.js';
import { query, errorMessage, AuthError } from '../api.js';
import { RELATION_SEARCH } from '../queries.js';
import { label, options, LABELS } from '../i18n.js';
import { formatPostcode } from '../format.js';

const PAGE_SIZE = 25;
const DEBOUNCE_MS = 250;
const ADDRESS_PREFERENCE = ['VISITING', 'REGISTERED_OFFICE', 'POSTAL'];

// The last results, kept between visits so that "back" from a card shows them at once.
let cache = null;
let lastSearchUrl = '/';

/** The search as the user left it ("/?q=bakker"), for the card's way back. */
export function searchHref() {
  return lastSearchUrl;
}

function cacheKey(text, kinds) {
  return JSON.stringify([text, [...kinds].sort()]);
}

function countText(total, shown) {
  if (!total) return 'Geen relaties gevonden.';
  const found = total === 1 ? '1 relatie gevonden' : `${total} relaties gevonden`;
  return shown < total ? `${found}, ${shown} getoond.` : `${found}.`;
}

function place(addresses) {
  const list = addresses ?? [];
  const address = ADDRESS_PREFERENCE.map((type) => list.find((a) => a.type === type)).find(Boolean) ?? list[0];
  if (!address) return '';
  return [formatPostcode(address.postalCode), address.city].filter(Boolean).join(' ');
}

/** An option of the listbox. Options may not hold links (nested interactive), so the item
 *  handles the click itself; Ctrl/Cmd/Shift-click and middle-click open a new tab. */
function resultItem(node, index, onOpen) {
  const meta = [
    node.legalForm ? label('LegalForm', node.legalForm) : label('PartyType', node.partyType),
    node.organisation?.kvkNumber ? `KvK ${node.organisation.kvkNumber}` : null,
    node.status && node.status !== 'ACTIVE' ? label('RelationStatus', node.status) : null,
  ].filter(Boolean).join(' · ');
  const open = (event) => {
    const newTab = event.button === 1 || event.ctrlKey || event.metaKey || event.shiftKey;
    if (event.button > 1) return;
    event.preventDefault();
    if (newTab) window.open(relationPath(node.id), '_blank', 'noopener');
    else onOpen(node.id);
  };
  return h('li', {
    id: `search-result-${index}`, role: 'option', 'aria-selected': 'false',
    class: 'result', 'data-testid': 'search-result', 'data-id': node.id,
    onclick: open, onauxclick: open,
  },
  h('div', { class: 'result__link' },
    h('span', { class: 'result__number' }, node.number),
    h('span', { class: 'result__main' },
      h('span', { class: 'result__name' }, node.displayName),
      meta ? h('span', { class: 'result__meta' }, meta) : null),
    h('span', { class: 'result__kinds' },
      (node.kinds ?? []).map((kind) => h('span', { class: 'badge' }, label('RelationKind', kind)))),
    h('span', { class: 'result__place' }, place(node.addresses))));
}

export function renderSearch(container, ctx) {
  ctx.setTitle('Relaties');
  const params = new URLSearchParams(location.search);
  const state = {
    text: params.get('q') ?? '',
    kinds: new Set((params.get('kinds') ?? '').split(',').filter((kind) => kind in LABELS.RelationKind)),
    edges: [], pageInfo: null, totalCount: 0, active: -1, seq: 0, timer: null,
  };

  const input = h('input', {
    id: 'search-input', type: 'search', name: 'search', value: state.text, role: 'combobox',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'search-results',
    'aria-describedby': 'search-hint', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'search',
  });
  const chips = options('RelationKind').map(([kind, text]) => h('button', {
    type: 'button', class: 'chip', 'aria-pressed': String(state.kinds.has(kind)),
    'data-testid': 'kind-filter', 'data-kind': kind, onclick: () => toggleKind(kind),
  }, text));
  const count = h('p', { id: 'search-count', class: 'search__count', 'aria-live': 'polite', 'data-testid': 'search-count' });
  const list = h('ul', { id: 'search-results', role: 'listbox', class: 'results', 'aria-label': 'Zoekresultaten' });
  const problem = h('p', { class: 'notice notice--error', role: 'alert', hidden: true });
  const more = h('button', { type: 'button', class: 'button', 'data-testid': 'load-more', hidden: true, onclick: loadMore },
    'Meer laden');

  container.append(h('div', { class: 'search' },
    h('h1', { tabindex: '-1' }, 'Relaties'),
    h('form', { role: 'search', class: 'search__form', onsubmit: (event) => event.preventDefault() },
      h('label', { for: 'search-input', class: 'search__label' }, 'Zoek een relatie'),
      h('p', { id: 'search-hint', class: 'hint' },
        'Naam, relatienummer, KvK-, RSIN- of btw-nummer, contactpersoon, e-mailadres of postcode. '
        + 'Pijltjestoetsen om te kiezen, Enter om te openen, Escape om te wissen.'),
      input),
    h('div', { class: 'chips', role: 'group', 'aria-label': 'Filter op soort relatie' }, chips),
    count, problem, list, h('div', { class: 'search__more' }, more)));

  input.addEventListener('input', () => {
    state.text = input.value.trim();
    clearTimeout(state.timer);
    state.timer = setTimeout(() => run(), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', onKeyDown);

  function onKeyDown(event) {
    const last = state.edges.length - 1;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(Math.min(state.active + 1, last));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(Math.max(state.active - 1, -1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (state.timer) run();
      else if (state.edges.length) open(Math.max(state.active, 0));
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (!input.value) return;
      input.value = '';
      state.text = '';
      run();
    }
  }

  function setActive(index) {
    const items = list.children;
    if (state.active >= 0 && items[state.active]) items[state.active].setAttribute('aria-selected', 'false');
    state.active = index;
    if (index >= 0 && items[index]) {
      items[index].setAttribute('aria-selected', 'true');
      items[index].scrollIntoView({ block: 'nearest' });
      input.setAttribute('aria-activedescendant', items[index].id);
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function open(index) {
    const edge = state.edges[index];
    if (edge) ctx.navigate(relationPath(edge.node.id));
  }

  function toggleKind(kind) {
    if (state.kinds.has(kind)) state.kinds.delete(kind);
    else state.kinds.add(kind);
    for (const chip of chips) chip.setAttribute('aria-pressed', String(state.kinds.has(chip.dataset.kind)));
    run();
  }

  function show({ edges, pageInfo, totalCount }, { append = false } = {}) {
    const start = append ? state.edges.length : 0;
    state.edges = append ? [...state.edges, ...edges] : edges;
    state.pageInfo = pageInfo;
    state.totalCount = totalCount;
    if (!append) {
      list.replaceChildren();
      setActive(-1);
    }
    const onOpen = (id) => ctx.navigate(relationPath(id));
    edges.forEach((edge, i) => list.append(resultItem(edge.node, start + i, onOpen)));
    input.setAttribute('aria-expanded', String(state.edges.length > 0));
    count.textContent = countText(totalCount, state.edges.length);
    more.hidden = !pageInfo?.hasNextPage;
    problem.hidden = true;
    cache = { key: cacheKey(state.text, state.kinds), edges: state.edges, pageInfo, totalCount };
  }

  function syncUrl() {
    const next = new URLSearchParams();
    if (state.text) next.set('q', state.text);
    if (state.kinds.size) next.set('kinds', [...state.kinds].join(','));
    const search = next.toString();
    lastSearchUrl = search ? `/?${search}` : '/';
    history.replaceState(null, '', lastSearchUrl);
  }

  async function run({ append = false } = {}) {
    clearTimeout(state.timer);
    state.timer = null;
    const seq = ++state.seq;
    if (!append) syncUrl();
    list.setAttribute('aria-busy', 'true');
    try {
      const data = await query(RELATION_SEARCH, {
        search: state.text || null,
        filter: state.kinds.size ? { kinds: [...state.kinds] } : null,
        first: PAGE_SIZE,
        after: append ? state.pageInfo?.endCursor ?? null : null,
      });
      if (seq !== state.seq || !ctx.isCurrent()) return;
      const connection = data.relations ?? { edges: [], pageInfo: null, totalCount: 0 };
      show(connection, { append });
      return true;
    } catch (error) {
      if (seq !== state.seq || !ctx.isCurrent() || error instanceof AuthError) return;
      problem.textContent = `Zoeken is niet gelukt. ${errorMessage(error)}`;
      problem.hidden = false;
    } finally {
      if (seq === state.seq) list.removeAttribute('aria-busy');
    }
  }

  async function loadMore() {
    const firstNew = state.edges.length;
    const ok = await run({ append: true });
    // The button disappears on the last page: keep the keyboard user in the results.
    if (ok && more.hidden) {
      input.focus();
      setActive(Math.min(firstNew, state.edges.length - 1));
    }
  }

  if (cache && cache.key === cacheKey(state.text, state.kinds)) show(cache);
  run();

  return {
    focus: () => input.focus(),
    cleanup: () => clearTimeout(state.timer),
  };
}
