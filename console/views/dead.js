// Dead letters: jobs that ran out of attempts, with a Retry button each (the same as
// `ttbridge jobs retry ID`).

import * as api from '../api.js';
import {h, replace, table, formatTime} from '../dom.js';
import {orderLink} from './orders.js';

// A Retry button: disabled while the request runs; tells the outcome in a toast.
export function retryButton(job, {toast, changed}) {
  const button = h('button', {type: 'button', class: 'button primary small', 'aria-label': `Retry job ${job.id}`}, 'Retry');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api.retryJob(job.id);
      toast(`Job ${job.id} (${job.kind}) is queued again.`);
    } catch (error) {
      toast(`Retry of job ${job.id} failed: ${error.message}`, 'error');
    } finally {
      button.disabled = false;
      changed();
    }
  });
  return button;
}

export function deadView({params, toast}) {
  const tenant = params.get('tenant') || '';
  const results = h('div', {class: 'results'});
  const view = {
    title: 'Dead letters',
    element: h('section', {class: 'page'},
      h('div', {class: 'page-head'}, h('h1', {}, 'Dead letters'),
        tenant ? h('span', {class: 'muted'}, `tenant ${tenant} · `, h('a', {href: '#/dead'}, 'all tenants')) : null),
      h('p', {class: 'lead'}, 'Jobs that ran out of attempts. Fix the cause (a vendor credential, a plugin setting), then retry: the job runs again with fresh attempts and a failed order reopens.'),
      results),
    async refresh() {
      const data = await api.jobs({dead: 1, tenant, limit: 200});
      const jobs = Array.isArray(data.jobs) ? data.jobs : [];
      replace(results, table({
        caption: 'Dead letters',
        empty: 'No dead letters: every job is done or still being tried.',
        rows: jobs,
        columns: [
          {label: 'Job', class: 'num', cell: (j) => h('span', {class: 'mono'}, j.id)},
          {label: 'Order', class: 'id', cell: (j) => orderLink(j.order_id)},
          {label: 'Tenant', cell: (j) => j.tenant},
          {label: 'Provider', cell: (j) => j.provider},
          {label: 'Step', cell: (j) => j.kind},
          {label: 'Attempts', class: 'num', cell: (j) => j.attempts},
          {label: 'Last error', class: 'wide', cell: (j) => j.last_error ? h('span', {class: 'error-text'}, j.last_error) : '—'},
          {label: 'Updated (UTC)', class: 'time', cell: (j) => formatTime(j.updated_at, {seconds: false})},
          {label: 'Action', cell: (j) => retryButton(j, {toast, changed: () => view.changed?.()})},
        ],
      }));
    },
  };
  return view;
}
