// Sign-in view.

import { h } from '../dom.js';
import { login, errorMessage, AuthError } from '../api.js';
import { textField, errorSummary, showErrors, showGeneralError, clearErrors, busy } from '../form-kit.js';

const FAILED = 'Aanmelden is niet gelukt';

/** Render the sign-in form; `ctx.onLogin()` is called once a session is stored. */
export function renderLogin(main, ctx) {
  ctx.setTitle('Aanmelden');
  const summary = errorSummary();
  const form = h('form', { class: 'form login__form', novalidate: true, 'data-testid': 'login-form' },
    summary,
    textField({ name: 'email', label: 'E-mailadres', type: 'email', prefix: '', autocomplete: 'username', required: true, spellcheck: 'false' }),
    textField({ name: 'password', label: 'Wachtwoord', type: 'password', prefix: '', autocomplete: 'current-password', required: true }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'login' }, 'Aanmelden')));

  const panel = h('div', { class: 'login' },
    h('h1', { tabindex: '-1' }, 'Aanmelden'),
    h('p', { class: 'lead' }, 'Meld u aan met uw e-mailadres en wachtwoord van kantoor.'),
    ctx.message ? h('p', { class: 'notice notice--info', role: 'status' }, ctx.message) : null,
    form);
  main.append(panel);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = form.elements.email.value.trim();
    const password = form.elements.password.value;
    const required = [];
    if (!email) required.push({ field: ['email'], code: 'REQUIRED', text: 'Vul uw e-mailadres in.' });
    if (!password) required.push({ field: ['password'], code: 'REQUIRED', text: 'Vul uw wachtwoord in.' });
    if (required.length) {
      showErrors(form, summary, required, { title: FAILED });
      return;
    }
    const done = busy(form);
    try {
      const payload = await login(email, password);
      if (payload.errors.length) {
        showErrors(form, summary, payload.errors, { title: FAILED });
      } else if (payload.session) {
        clearErrors(form, summary);
        ctx.onLogin();
      } else {
        showGeneralError(form, summary, 'Probeer het opnieuw.', { title: FAILED });
      }
    } catch (error) {
      if (!(error instanceof AuthError)) showGeneralError(form, summary, errorMessage(error), { title: FAILED });
    } finally {
      done();
    }
  });

  return { focus: () => form.elements.email.focus() };
}
