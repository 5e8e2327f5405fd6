// The console's shell: hash routes (#/, #/tenants, #/orders?..., #/orders/<id>, #/dead), the
// session (login, a reload's recovery, logout) and the live updates: the page on screen asks the
// API again every 5 s while the tab is visible.

import * as api from './api.js';
import {h, replace} from './dom.js';
import {loginView} from './views/login.js';
import {overviewView} from './views/overview.js';
import {tenantsView} from './views/tenants.js';
import {ordersView} from './views/orders.js';
import {orderView} from './views/order.js';
import {deadView} from './views/dead.js';

const POLL_MS = 5000;

const main = document.getElementById('main');
const topbar = document.querySelector('.topbar');
const banner = document.querySelector('.banner');
const live = document.querySelector('.live');
const toasts = document.querySelector('.toasts');

const routes = [
  {pattern: /^\/$/, section: 'overview', view: overviewView},
  {pattern: /^\/tenants$/, section: 'tenants', view: tenantsView},
  {pattern: /^\/orders$/, section: 'orders', view: ordersView},
  {pattern: /^\/orders\/([^/]+)$/, section: 'orders', view: orderView},
  {pattern: /^\/dead$/, section: 'dead', view: deadView},
];

// "#/orders?status=failed" -> {path: "/orders", params: URLSearchParams}
function location() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = hash.split('?', 2);
  return {path: path || '/', params: new URLSearchParams(search)};
}

export function navigate(path, params) {
  const search = params ? new URLSearchParams(params).toString() : '';
  const target = `#${path}${search ? `?${search}` : ''}`;
  if (window.location.hash === target) render();
  else window.location.hash = target;
}

export function toast(text, kind = 'ok') {
  const item = h('div', {class: ['toast', kind]}, text);
  toasts.append(item);
  setTimeout(() => item.remove(), 6000);
}

function showError(error) {
  if (!error) {
    banner.hidden = true;
    banner.replaceChildren();
    return;
  }
  replace(banner, error.message || String(error));
  banner.hidden = false;
}

let current = null;  // {view instance, timer, busy}

function stop() {
  if (!current) return;
  clearInterval(current.timer);
  current.instance.destroy?.();
  current = null;
}

async function refresh(entry) {
  if (entry.busy || entry !== current) return;
  entry.busy = true;
  try {
    await entry.instance.refresh();
    if (entry !== current) return;
    showError(null);
    const now = new Date();
    replace(live, h('span', {class: 'pulse', 'aria-hidden': 'true'}),
      h('span', {class: 'live-text'}, `Live · ${now.toISOString().slice(11, 19)} UTC`));
    live.title = `Updated every ${POLL_MS / 1000} s; last at ${now.toISOString().slice(11, 19)} UTC`;
  } catch (error) {
    if (entry === current && error.status !== 401) showError(error);
  } finally {
    entry.busy = false;
  }
}

function showLogin(message) {
  stop();
  topbar.hidden = true;
  showError(null);
  document.title = 'Log in · ttbridge console';
  replace(main, loginView({
    message,
    onLoggedIn: () => {
      if (location().path === '/login') navigate('/');
      else render();
    },
  }));
}

function render() {
  stop();
  if (!api.signedIn()) {
    showLogin();
    return;
  }
  const {path, params} = location();
  const route = routes.find((r) => r.pattern.test(path));
  if (!route) {
    navigate('/');
    return;
  }
  topbar.hidden = false;
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.section === route.section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const match = path.match(route.pattern);
  const instance = route.view({params, id: match[1] ? decodeURIComponent(match[1]) : null, navigate, toast});
  document.title = `${instance.title} · ttbridge console`;
  replace(main, instance.element);
  const entry = {instance, busy: false, timer: null};
  current = entry;
  entry.timer = setInterval(() => {
    if (!document.hidden) refresh(entry);
  }, POLL_MS);
  // A change (retry, replay, a new search) shows at once, not at the next tick.
  instance.changed = () => refresh(entry);
  refresh(entry);
}

api.onUnauthorized(() => {
  api.forget();
  showLogin('Your session has ended (it expires after 12 hours, and a restart of ttbridged ends it). Log in again.');
});

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await api.logout();
  } catch (error) {
    if (error.status !== 401) toast(`Logging out failed: ${error.message}`, 'error');
  }
  showLogin('You are logged out.');
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && current) refresh(current);
});
window.addEventListener('hashchange', render);

async function start() {
  try {
    await api.resume();
  } catch (error) {
    showError(error);
  }
  render();
}

start();
