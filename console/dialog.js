// A modal confirmation (<dialog>): resolves true when the operator confirms, false otherwise.

import {h} from './dom.js';

export function confirmDialog({title, body, confirmLabel}) {
  return new Promise((resolve) => {
    const cancel = h('button', {type: 'button', class: 'button subtle', value: 'cancel'}, 'Cancel');
    const confirm = h('button', {type: 'submit', class: 'button primary', value: 'confirm'}, confirmLabel);
    const dialog = h('dialog', {class: 'dialog', 'aria-labelledby': 'dialog-title'},
      h('form', {method: 'dialog'},
        h('h2', {id: 'dialog-title'}, title),
        h('div', {class: 'dialog-body'}, body),
        h('div', {class: 'dialog-actions'}, cancel, confirm)));
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
