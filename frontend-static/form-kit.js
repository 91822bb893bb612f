// Form building blocks shared by every form: labelled fields with stable names, reading
// values, and mapping UserErrors (field paths) onto the fields they are about.
//
// Naming: an input's `name` is its path below the mutation argument ("email",
// "organisation.kvkNumber", "addresses.0.postalCode"); its `data-field` is the full path the
// server reports in UserError.field, joined by dots ("input.organisation.kvkNumber").

import { h, uniqueId } from './dom.js';
import { fieldLabel, userErrorMessage } from './i18n.js';

export function fieldPath(prefix, name) {
  return prefix ? `${prefix}.${name}` : name;
}

function labelFor(id, text, required) {
  return h('label', { for: id }, text,
    required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
}

function hintFor(id, hint) {
  return hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null;
}

/** A labelled <input>; `type` may be text, email, tel, url, date, password ... */
export function textField({
  name, label, value = '', type = 'text', prefix = 'input', required = false,
  hint, autocomplete, inputmode, size = 'full', spellcheck,
}) {
  const id = uniqueId('f');
  const input = h('input', {
    id, name, type, value: value ?? '', 'data-field': fieldPath(prefix, name),
    autocomplete, inputmode, spellcheck, 'aria-required': required ? 'true' : null,
    'aria-describedby': hint ? `${id}-hint` : null,
  });
  return h('div', { class: `field field--${size}` }, labelFor(id, label, required), hintFor(id, hint), input);
}

export function textareaField({ name, label, value = '', prefix = 'input', required = false, hint, rows = 3 }) {
  const id = uniqueId('f');
  const textarea = h('textarea', {
    id, name, rows, value: value ?? '', 'data-field': fieldPath(prefix, name),
    'aria-required': required ? 'true' : null, 'aria-describedby': hint ? `${id}-hint` : null,
  });
  return h('div', { class: 'field field--full' }, labelFor(id, label, required), hintFor(id, hint), textarea);
}

/** A <select> from [value, label] pairs, with an empty first option labelled `empty`. */
export function selectField({ name, label, options, value = '', prefix = 'input', empty = '—', hint, size = 'full' }) {
  const id = uniqueId('f');
  const select = h('select', {
    id, name, value: value ?? '', 'data-field': fieldPath(prefix, name),
    'aria-describedby': hint ? `${id}-hint` : null,
  },
  empty === null ? null : h('option', { value: '' }, empty),
  options.map(([optionValue, optionLabel]) => h('option', { value: optionValue }, optionLabel)));
  return h('div', { class: `field field--${size}` }, labelFor(id, label, false), hintFor(id, hint), select);
}

/** One checkbox that reads as a boolean. */
export function checkboxField({ name, label, checked = false, prefix = 'input' }) {
  const id = uniqueId('f');
  return h('div', { class: 'field field--check' },
    h('input', { id, name, type: 'checkbox', checked: Boolean(checked), 'data-field': fieldPath(prefix, name) }),
    h('label', { for: id }, label));
}

/** A fieldset of checkboxes (reads as a list) or radios (reads as one value). */
export function choiceGroup({ name, legend, options, value, type = 'checkbox', prefix = 'input', required = false, onChange }) {
  const selected = new Set([value ?? []].flat());
  const fieldset = h('fieldset', { class: 'choices', 'data-field': fieldPath(prefix, name) },
    h('legend', {}, legend, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null));
  const list = h('div', { class: 'choices__list' });
  for (const [optionValue, optionLabel] of options) {
    const id = uniqueId('f');
    list.append(h('div', { class: 'choice' },
      h('input', {
        id, name, type, value: optionValue, checked: selected.has(optionValue),
        'data-group': type === 'checkbox' ? 'true' : null, onchange: onChange,
      }),
      h('label', { for: id }, optionLabel)));
  }
  fieldset.append(list);
  return fieldset;
}

/** Values by name: trimmed strings, booleans for single checkboxes, lists for groups. */
export function readValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.closest('[hidden]')) continue;
    if (el.type === 'checkbox' && el.dataset.group) {
      values[el.name] ??= [];
      if (el.checked) values[el.name].push(el.value);
    } else if (el.type === 'checkbox') {
      values[el.name] = el.checked;
    } else if (el.type === 'radio') {
      if (el.checked) values[el.name] = el.value;
      else values[el.name] ??= '';
    } else {
      values[el.name] = el.value.trim();
    }
  }
  return values;
}

function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return [...(a ?? [])].sort().join('\n') === [...(b ?? [])].sort().join('\n');
  }
  return (a ?? '') === (b ?? '');
}

/** Names whose value differs from the initial values. */
export function changedNames(initial, current) {
  return Object.keys(current).filter((name) => !sameValue(initial[name], current[name]));
}

/** setPath(obj, "organisation.kvkNumber", v) creates the nested objects on the way. */
export function setPath(target, path, value) {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)] = value;
  return target;
}

// ---------------------------------------------------------------- errors

const SAVE_FAILED = 'Het opslaan is niet gelukt';

export function errorSummary() {
  return h('div', { class: 'error-summary', role: 'alert', 'data-testid': 'error-summary', tabindex: '-1', hidden: true });
}

function isShown(el) {
  return !el.closest('[hidden]') && !el.disabled;
}

/** The element for a UserError path: the longest prefix of the path that is on screen. */
function findTarget(form, path) {
  const parts = (path ?? []).map(String);
  for (let n = parts.length; n >= 1; n -= 1) {
    const selector = `[data-field="${CSS.escape(parts.slice(0, n).join('.'))}"]`;
    const el = form.querySelector(selector);
    if (el && isShown(el)) return el;
  }
  return null;
}

function describe(control, id) {
  if (!control.hasAttribute('data-described-base')) {
    control.setAttribute('data-described-base', control.getAttribute('aria-describedby') ?? '');
  }
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  control.setAttribute('aria-describedby', [...ids, id].join(' '));
}

function placeError(target, message) {
  const id = uniqueId('err');
  const error = h('p', { id, class: 'field-error', 'data-testid': 'field-error' }, message);
  const isGroup = target.tagName === 'FIELDSET';
  const controls = isGroup ? [...target.querySelectorAll('input, select, textarea')] : [target];
  if (isGroup) target.querySelector('legend').after(error);
  else target.before(error);
  (isGroup ? target : target.closest('.field') ?? target).classList.add('is-invalid');
  if (isGroup) describe(target, id);
  for (const control of controls) {
    control.setAttribute('aria-invalid', 'true');
    describe(control, id);
  }
  return controls[0];
}

export function clearErrors(form, summary) {
  form.querySelectorAll('.field-error').forEach((node) => node.remove());
  form.querySelectorAll('.is-invalid').forEach((node) => node.classList.remove('is-invalid'));
  form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
  form.querySelectorAll('[data-described-base]').forEach((node) => {
    const base = node.getAttribute('data-described-base');
    if (base) node.setAttribute('aria-describedby', base);
    else node.removeAttribute('aria-describedby');
    node.removeAttribute('data-described-base');
  });
  if (summary) {
    summary.replaceChildren();
    summary.hidden = true;
  }
}

/**
 * Show UserErrors: each next to its field when that field is on screen, the rest in the
 * summary at the top. Values the user typed are left alone. Focus moves to the summary when
 * it lists errors, otherwise to the first invalid field.
 */
export function showErrors(form, summary, errors, { title = SAVE_FAILED } = {}) {
  clearErrors(form, summary);
  let firstControl = null;
  const unplaced = [];
  for (const error of errors) {
    // Errors made in the browser carry Dutch `text`; the server's are mapped by code.
    const message = error.text ?? userErrorMessage(error);
    const target = findTarget(form, error.field);
    if (target) {
      const control = placeError(target, message);
      firstControl ??= control;
    } else {
      unplaced.push(error);
    }
  }
  summary.append(h('h2', { class: 'error-summary__title' }, title));
  if (firstControl) summary.append(h('p', {}, 'Controleer de gemarkeerde velden.'));
  if (unplaced.length) {
    summary.append(h('ul', {}, unplaced.map((error) => {
      const path = (error.field ?? []).filter((part, i) => !(i === 0 && part === 'input'));
      const where = path.length ? `${fieldLabel(path.join('.'))}: ` : '';
      return h('li', {}, where, error.text ?? userErrorMessage(error));
    })));
  }
  summary.hidden = false;
  (unplaced.length || !firstControl ? summary : firstControl).focus();
}

/** An unexpected failure (no field): the generic message in the summary. */
export function showGeneralError(form, summary, message, { title = SAVE_FAILED } = {}) {
  clearErrors(form, summary);
  summary.append(h('h2', { class: 'error-summary__title' }, title), h('p', {}, message));
  summary.hidden = false;
  summary.focus();
}

/** Disable a form's buttons while a request runs; returns the function that ends it. */
export function busy(form) {
  form.setAttribute('aria-busy', 'true');
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((button) => { button.disabled = true; });
  return () => {
    form.removeAttribute('aria-busy');
    buttons.forEach((button) => { button.disabled = false; });
  };
}
