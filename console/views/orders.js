// The orders: a search by tenant, status, candidate email and creation date, newest first, with
// "Older orders" to page back. The list carries no personal data; an order's page does.

import * as api from '../api.js';
import {h, replace, badge, table, formatTime, words} from '../dom.js';

export const ORDER_STATUSES = ['received', 'invited', 'in_progress', 'completed', 'failed'];
const FILTERS = ['tenant', 'status', 'email', 'since', 'until'];
const PAGE = 50;

export function orderLink(id) {
  return h('a', {class: 'mono', href: `#/orders/${encodeURIComponent(id)}`}, id);
}

function field(label, control, wide = false) {
  return h('div', {class: ['field', wide && 'wide']}, h('label', {for: control.id}, label), control);
}

export function ordersView({params, navigate}) {
  const value = (name) => params.get(name) || '';
  const tenant = h('select', {id: 'f-tenant', name: 'tenant'}, h('option', {value: ''}, 'All tenants'));
  const status = h('select', {id: 'f-status', name: 'status'}, h('option', {value: ''}, 'Any status'),
    ORDER_STATUSES.map((s) => h('option', {value: s, selected: s === value('status')}, s.replace('_', ' '))));
  const email = h('input', {id: 'f-email', name: 'email', type: 'email', value: value('email'),
    placeholder: 'candidate@example.org', autocomplete: 'off'});
  const since = h('input', {id: 'f-since', name: 'since', type: 'date', value: value('since')});
  const until = h('input', {id: 'f-until', name: 'until', type: 'date', value: value('until')});
  const controls = {tenant, status, email, since, until};

  const form = h('form', {class: 'filters', role: 'search'},
    field('Tenant', tenant), field('Status', status), field('Candidate email', email, true),
    field('Created from', since), field('Created to', until),
    h('div', {class: 'field actions wide'},
      h('button', {type: 'submit', class: 'button primary'}, 'Search'),
      h('a', {class: 'button subtle', href: '#/orders'}, 'Clear')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    for (const name of FILTERS) {
      const v = controls[name].value.trim();
      if (v) next[name] = v;
    }
    navigate('/orders', next);
  });

  const results = h('div', {class: 'results'});
  const summary = h('p', {class: 'muted', role: 'status'});
  const more = h('button', {type: 'button', class: 'button', hidden: true}, 'Older orders');
  let shown = [];
  let pages = 1;
  let nextBefore = null;

  const filters = () => Object.fromEntries(FILTERS.map((n) => [n, value(n)]).filter(([, v]) => v));
  const draw = () => {
    replace(summary, shown.length === 0 ? '' : `${shown.length} order${shown.length === 1 ? '' : 's'}${nextBefore ? ', more below' : ''}`);
    replace(results, table({
      caption: 'Orders',
      empty: Object.keys(filters()).length ? 'No order matches this search.' : 'No orders yet.',
      rows: shown,
      columns: [
        {label: 'Order', class: 'id', cell: (o) => orderLink(o.id)},
        {label: 'Tenant', cell: (o) => o.tenant},
        {label: 'Provider', cell: (o) => o.provider},
        {label: 'Test', cell: (o) => h('span', {class: 'mono'}, o.test_id)},
        {label: 'Status', cell: (o) => [badge(o.status), o.failure_reason ? h('span', {class: 'reason'}, words(o.failure_reason)) : null]},
        {label: 'Vendor order', cell: (o) => h('span', {class: 'mono'}, o.vendor_order_id || '—')},
        {label: 'Created (UTC)', class: 'time', cell: (o) => formatTime(o.created_at, {seconds: false})},
        {label: 'Updated (UTC)', class: 'time', cell: (o) => formatTime(o.updated_at, {seconds: false})},
      ],
    }));
    more.hidden = !nextBefore;
  };

  // The first `pages` pages again, so a poll keeps what "Older orders" has shown.
  async function load() {
    let before;
    const all = [];
    let cursor = null;
    for (let page = 0; page < pages; ++page) {
      const data = await api.orders({...filters(), limit: PAGE, before});
      all.push(...(Array.isArray(data.orders) ? data.orders : []));
      cursor = data.next_before || null;
      if (!cursor) break;
      before = cursor;
    }
    shown = all;
    nextBefore = cursor;
    draw();
  }
  more.addEventListener('click', async () => {
    pages += 1;
    await load();
  });

  let tenantsLoaded = false;
  return {
    title: 'Orders',
    element: h('section', {class: 'page'},
      h('div', {class: 'page-head'}, h('h1', {}, 'Orders'), summary),
      h('div', {class: 'panel'}, form),
      results,
      h('div', {class: 'more'}, more)),
    async refresh() {
      if (!tenantsLoaded) {
        const data = await api.tenants();
        for (const t of data.tenants || []) {
          tenant.append(h('option', {value: t.id, selected: t.id === value('tenant')}, t.name && t.name !== t.id ? `${t.name} (${t.id})` : t.id));
        }
        tenantsLoaded = true;
      }
      await load();
    },
  };
}
