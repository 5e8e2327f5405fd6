// The tenants: each with its providers, their health and their share of the queue.

import * as api from '../api.js';
import {h, replace, badge, table} from '../dom.js';

const HEALTH_HELP = {
  ok: 'Loaded and working through its queue.',
  degraded: 'Has dead letters: jobs that ran out of attempts.',
  unavailable: 'Disabled, its vendor is not answering (its jobs wait for a probe), or its oldest due job has waited 10 minutes or more.',
};

function tenantPanel(tenant) {
  const providers = Array.isArray(tenant.providers) ? tenant.providers : [];
  return h('article', {class: 'panel tenant'},
    h('div', {class: 'panel-head'},
      h('h2', {}, tenant.name || tenant.id,
        tenant.name && tenant.name !== tenant.id ? [' ', h('span', {class: 'muted mono'}, tenant.id)] : null),
      h('a', {class: 'button subtle', href: `#/orders?tenant=${encodeURIComponent(tenant.id)}`}, 'Orders')),
    table({
      caption: `Providers of ${tenant.id}`,
      empty: 'No providers configured.',
      rows: providers,
      columns: [
        {label: 'Provider', cell: (p) => h('strong', {}, p.name)},
        {label: 'Plugin', cell: (p) => h('span', {class: 'mono'}, p.plugin)},
        {label: 'Health', cell: (p) => h('span', {title: HEALTH_HELP[p.health] || ''}, badge(p.health, 'health'))},
        {label: 'Queued', class: 'num', cell: (p) => p.queued ?? 0},
        {label: 'Running', class: 'num', cell: (p) => p.running ?? 0},
        {label: 'Dead', class: 'num', cell: (p) => (p.dead ?? 0) > 0
          ? h('a', {href: `#/dead?tenant=${encodeURIComponent(tenant.id)}`}, p.dead) : 0},
      ],
    }));
}

export function tenantsView() {
  const list = h('div', {class: 'stack'});
  return {
    title: 'Tenants',
    element: h('section', {class: 'page'}, h('div', {class: 'page-head'}, h('h1', {}, 'Tenants')), list),
    async refresh() {
      const data = await api.tenants();
      const tenants = Array.isArray(data.tenants) ? data.tenants : [];
      replace(list, tenants.length === 0
        ? h('p', {class: 'empty'}, 'No tenants. Add one with ttbridge tenants new NAME.')
        : tenants.map(tenantPanel));
    },
  };
}
