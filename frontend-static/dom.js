// A tiny DOM builder. Every string child becomes a text node and every attribute goes
// through setAttribute, so data from the API never reaches innerHTML.

const PROPERTIES = new Set(['value', 'checked', 'selected']);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  const properties = [];
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (PROPERTIES.has(key)) {
      properties.push([key, value]);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  // Set after the children so that a <select> already has its options.
  for (const [key, value] of properties) el[key] = value;
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === '') continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Text for screen readers only. */
export function srOnly(text) {
  return h('span', { class: 'visually-hidden' }, text);
}

let uid = 0;
/** A document-unique id for aria-labelledby / aria-describedby pairs. */
export function uniqueId(prefix = 'id') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Link to a relation's card; the router picks up the click. */
export function relationLink(relation, extra = {}) {
  if (!relation) return null;
  return h('a', { href: relationPath(relation.id), ...extra }, relation.displayName || relation.number || '—');
}

export function relationPath(id) {
  return `/relations/${encodeURIComponent(id)}`;
}

/** A <dl> of label/value rows; rows whose value is empty are left out. */
export function definitionList(rows, attrs = {}) {
  const dl = h('dl', { class: 'facts', ...attrs });
  for (const row of rows) {
    if (!row) continue;
    const [key, label, value] = row;
    if (value === undefined || value === null || value === '' ||
        (Array.isArray(value) && value.length === 0)) continue;
    dl.append(h('div', { class: 'facts__row', 'data-key': key }, h('dt', {}, label), h('dd', {}, value)));
  }
  return dl;
}

/** Short grey text shown when a list is empty. */
export function emptyState(text) {
  return h('p', { class: 'empty' }, text);
}
