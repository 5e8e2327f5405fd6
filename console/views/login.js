// The login form: the operator pastes the token of admin.token_file; the daemon answers with a
// session cookie and the CSRF token (api.js keeps it in memory).

import * as api from '../api.js';
import {h, replace} from '../dom.js';

export function loginView({message, onLoggedIn}) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true});
  const token = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'current-password',
    required: true, spellcheck: 'false', 'aria-describedby': 'token-help'});
  const submit = h('button', {type: 'submit', class: 'button primary'}, 'Log in');
  const form = h('form', {class: 'login-form', novalidate: true},
    h('label', {for: 'token'}, 'Admin token'),
    token,
    h('p', {id: 'token-help', class: 'help'},
      'The token in the file that ', h('code', {}, 'admin.token_file'), ' names in the main config.'),
    error,
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!token.value.trim()) {
      replace(error, 'Enter the admin token.');
      error.hidden = false;
      token.focus();
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      await api.login(token.value.trim());
      token.value = '';
      onLoggedIn();
    } catch (e) {
      replace(error, e.status === 401 ? 'That token is not the admin token.' : e.message);
      error.hidden = false;
      token.select();
    } finally {
      submit.disabled = false;
    }
  });

  queueMicrotask(() => token.focus());
  return h('section', {class: 'login'},
    h('div', {class: 'login-card'},
      h('h1', {}, h('img', {src: 'icon.svg', alt: '', width: 32, height: 32}), 'ttbridge console'),
      message ? h('p', {class: 'notice'}, message) : null,
      form));
}
