// Modal dialogs on the native <dialog> element (focus is kept inside, Escape closes).
// In-page dialogs instead of window.prompt/confirm: they can be styled, labelled and tested.

import { h, uniqueId } from './dom.js';

/**
 * Open a modal dialog with a title and content; returns { dialog, close }.
 * On close the dialog is removed and focus goes back to where it was, or to `returnFocus()`.
 */
export function openDialog({ title, content, testId, returnFocus }) {
  const titleId = uniqueId('dialog');
  const opener = document.activeElement;
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': testId },
    h('h2', { id: titleId, class: 'dialog__title' }, title), content);
  document.body.append(dialog);
  dialog.addEventListener('close', () => {
    dialog.remove();
    const target = returnFocus?.() ?? (opener?.isConnected ? opener : null);
    target?.focus();
  });
  dialog.showModal();
  return { dialog, close: () => dialog.close() };
}

/** Ask a yes/no question; resolves true when confirmed. */
export function confirmDialog({ title, message, confirmLabel = 'Bevestigen', danger = false }) {
  return new Promise((resolve) => {
    let confirmed = false;
    const cancel = h('button', { type: 'button', class: 'button' }, 'Annuleren');
    const confirm = h('button', {
      type: 'button', class: danger ? 'button button--danger' : 'button button--primary',
      'data-testid': 'confirm',
    }, confirmLabel);
    const { dialog, close } = openDialog({
      title,
      testId: 'confirm-dialog',
      content: [h('p', {}, message), h('div', { class: 'form-actions' }, confirm, cancel)],
    });
    cancel.addEventListener('click', () => close());
    confirm.addEventListener('click', () => { confirmed = true; close(); });
    dialog.addEventListener('close', () => resolve(confirmed));
    cancel.focus();
  });
}
