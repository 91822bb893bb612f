// Bootstrap and router of the cockpit.
//
// Routes (the server returns index.html for all of them):
//   /                          search
//   /?view=new                 new relation
//   /relations/<id>            relation card
//   /relations/<id>?view=edit  edit relation
// Without a session every route shows sign-in first and then itself.

import {
  getSession, clearSession, onUnauthenticated, onPartialError, SESSION_EXPIRED,
} from './api.js';
import { h } from './dom.js';
import { label } from './i18n.js';
import { renderLogin } from './views/login.js';
import { renderSearch } from './views/search.js';
import { renderCard } from './views/card.js';
import { renderRelationForm } from './views/forms.js';

const APP_NAME = 'Relatiebeheer';
const view = document.getElementById('view');
const notices = document.getElementById('notices');
let current = { id: 0, cleanup: null, name: null };

function resolve() {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(location.search);
  if (path === '/' || path === '/index.html') {
    return params.get('view') === 'new'
      ? { name: 'new', render: renderRelationForm, args: { mode: 'create' } }
      : { name: 'search', render: renderSearch, args: {} };
  }
  const match = /^\/relations\/([^/]+)$/.exec(path);
  if (match) {
    const id = decodeURIComponent(match[1]);
    return params.get('view') === 'edit'
      ? { name: 'edit', render: renderRelationForm, args: { mode: 'edit', id } }
      : { name: 'card', render: renderCard, args: { id } };
  }
  return { name: 'not-found', render: renderNotFound, args: {} };
}

function renderNotFound(container, ctx) {
  ctx.setTitle('Pagina niet gevonden');
  container.append(
    h('h1', { tabindex: '-1' }, 'Pagina niet gevonden'),
    h('p', {}, 'Deze pagina bestaat niet. ', h('a', { href: '/' }, 'Naar het zoekscherm'), '.'),
  );
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render({ moveFocus: true });
}

/** Show a message above the view: info and success politely, errors as an alert. */
export function notify(message, kind = 'info') {
  // One confirmation at a time; errors stay until closed.
  notices.querySelectorAll('.notice--info, .notice--success').forEach((node) => node.remove());
  const notice = h('div', { class: `notice notice--${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('p', {}, message),
    h('button', { type: 'button', class: 'button button--quiet notice__close', onclick: () => notice.remove() },
      'Sluiten'));
  notices.append(notice);
  if (kind !== 'error') setTimeout(() => notice.remove(), 8000);
}

function renderHeader(session, routeName) {
  const signedIn = Boolean(session);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('user').hidden = !signedIn;
  if (!signedIn) return;
  const employee = session.employee ?? {};
  document.getElementById('user-name').textContent =
    [employee.name, label('StaffRole', employee.role)].filter(Boolean).join(' · ');
  for (const link of document.querySelectorAll('#nav a[data-nav]')) {
    if (link.dataset.nav === routeName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function render({ moveFocus = false, message = null } = {}) {
  current.cleanup?.();
  const id = current.id + 1;
  current = { id, cleanup: null, name: null };
  view.replaceChildren();
  notices.replaceChildren();
  window.scrollTo(0, 0);

  const session = getSession();
  const route = session ? resolve() : { name: 'login', render: renderLogin, args: {} };
  current.name = route.name;
  renderHeader(session, route.name);
  const ctx = {
    ...route.args,
    session,
    message,
    navigate,
    notify,
    isCurrent: () => current.id === id,
    setTitle: (title) => { document.title = title ? `${title} – ${APP_NAME}` : APP_NAME; },
    onLogin: () => render({ moveFocus: true }),
  };
  const result = route.render(view, ctx) ?? {};
  current.cleanup = result.cleanup ?? null;
  if (result.focus) result.focus();
  else if (moveFocus) view.querySelector('h1')?.focus();
}

function onLinkClick(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin) return;
  if (url.pathname.startsWith('/static/') || url.pathname.startsWith('/graphql')) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}

function start() {
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  document.addEventListener('click', onLinkClick);
  window.addEventListener('popstate', () => render({ moveFocus: true }));
  document.getElementById('logout').addEventListener('click', () => {
    clearSession();
    navigate('/');
  });
  // Several requests of one view may fail at once: show sign-in only once.
  onUnauthenticated(() => {
    if (current.name !== 'login') render({ moveFocus: true, message: SESSION_EXPIRED });
  });
  onPartialError(() => notify('Niet alle gegevens konden worden geladen.', 'error'));
  render();
}

start();
