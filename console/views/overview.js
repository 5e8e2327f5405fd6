// The overview: the queue's numbers, the outages the job runner waits out, orders by status, and
// the last hour as two charts.

import * as api from '../api.js';
import {h, replace, formatAge, words, badge} from '../dom.js';
import {lineChart, barChart} from '../charts.js';

const DEPTH = [
  {key: 'queued', label: 'Queued', class: 's1'},
  {key: 'running', label: 'Running', class: 's2'},
  {key: 'dead', label: 'Dead', class: 's3'},
];
const THROUGHPUT = [
  {key: 'orders_created', label: 'Orders created', class: 's1'},
  {key: 'jobs_done', label: 'Jobs done', class: 's4'},
];

function tile(label, value, {href, alert} = {}) {
  const body = [h('span', {class: 'tile-value'}, value), h('span', {class: 'tile-label'}, label)];
  return href ? h('a', {class: ['tile', alert && 'alert'], href}, body) : h('div', {class: 'tile'}, body);
}

// The vendors and Teamtailor connections that stopped answering: their work waits, attempts
// kept, until a probe finds them back (docs/operations.md, "Vendor outages").
function outagesPanel(outages) {
  const vendors = Array.isArray(outages?.vendors) ? outages.vendors : [];
  const teamtailor = Array.isArray(outages?.teamtailor) ? outages.teamtailor : [];
  if (vendors.length === 0 && teamtailor.length === 0) return null;
  return h('div', {class: 'panel outages', role: 'status'},
    h('h2', {}, 'Outages'),
    h('ul', {},
      vendors.map((pair) => h('li', {}, h('span', {class: 'mono'}, pair),
        ': the vendor is not answering; its jobs wait for a probe to find it back.')),
      teamtailor.map((connection) => h('li', {}, 'Teamtailor (connection ', h('span', {class: 'mono'}, connection),
        ') is not answering; result cards wait for a probe to find it back.'))));
}

export function overviewView() {
  const tiles = h('div', {class: 'tiles'});
  const outages = h('div', {});
  const statuses = h('div', {class: 'statuses'});
  const depthBox = h('div', {class: 'chart-box'});
  const throughputBox = h('div', {class: 'chart-box'});
  const version = h('span', {class: 'muted'});
  let stats = null;

  function drawCharts() {
    if (!stats) return;
    drawnWidth = depthBox.clientWidth;
    const points = Array.isArray(stats.points) ? stats.points : [];
    replace(depthBox, lineChart({width: depthBox.clientWidth || 600, points, series: DEPTH, intervalS: stats.interval_s,
      label: 'Jobs queued, running and dead per minute over the last hour'}));
    replace(throughputBox, barChart({width: throughputBox.clientWidth || 600, points, series: THROUGHPUT, intervalS: stats.interval_s,
      label: 'Orders created and jobs done per minute over the last hour'}));
  }

  // Redrawn at the box's new width when it changes (a window resized, a phone turned).
  let drawnWidth = 0;
  const resized = new ResizeObserver(() => {
    if (depthBox.clientWidth !== drawnWidth) drawCharts();
  });
  resized.observe(depthBox);

  const element = h('section', {class: 'page'},
    h('div', {class: 'page-head'}, h('h1', {}, 'Overview'), version),
    tiles,
    outages,
    h('div', {class: 'panel'}, h('h2', {}, 'Orders by status'), statuses),
    h('div', {class: 'charts'},
      h('div', {class: 'panel'}, h('h2', {}, 'Queue depth'), h('p', {class: 'muted'}, 'Jobs by state, one sample a minute, last hour (UTC)'), depthBox),
      h('div', {class: 'panel'}, h('h2', {}, 'Throughput'), h('p', {class: 'muted'}, 'Orders created and jobs done per minute, last hour (UTC)'), throughputBox)));

  return {
    title: 'Overview',
    element,
    async refresh() {
      const [overview, latest] = await Promise.all([api.overview(), api.stats()]);
      const queue = overview.queue || {};
      replace(version, overview.version ? `ttbridged ${overview.version}` : '');
      replace(tiles,
        tile('Tenants', overview.tenants ?? 0, {href: '#/tenants'}),
        tile('Jobs queued', queue.queued ?? 0),
        tile('Jobs running', queue.running ?? 0),
        tile('Dead letters', queue.dead ?? 0, {href: '#/dead', alert: (queue.dead ?? 0) > 0}),
        tile('Oldest queued job', queue.queued ? formatAge(queue.oldest_queued_age_s) : '—'));
      replace(outages, outagesPanel(overview.outages));
      const counts = Object.entries(overview.orders_by_status || {});
      replace(statuses, counts.length === 0
        ? h('p', {class: 'empty'}, 'No orders yet.')
        : h('ul', {class: 'status-list'}, counts.map(([status, count]) =>
          h('li', {}, h('a', {href: `#/orders?status=${encodeURIComponent(status)}`, 'aria-label': `${count} ${words(status)}`},
            badge(status), h('span', {class: 'count'}, count))))));
      stats = latest;
      drawCharts();
    },
    destroy() {
      resized.disconnect();
    },
  };
}
