// One order: its facts, the candidate (the only page with personal data), the card Teamtailor
// shows now, the timeline, the jobs (Retry on a dead one) and the replay of one step.

import * as api from '../api.js';
import {h, replace, badge, table, definitionList, formatTime, formatAge, safeLink, words} from '../dom.js';
import {confirmDialog} from '../dialog.js';
import {retryButton} from './dead.js';

const STEPS = [
  {value: 'invite', label: 'invite', help: 'order the test from the vendor again'},
  {value: 'push', label: 'push', help: 'write the result to Teamtailor again'},
  {value: 'poll', label: 'poll', help: 'ask the vendor for the result now'},
];
const GRADES = {top_fit: 'Top fit', might_be_fit: 'Might be a fit', might_not_be_fit: 'Might not be a fit', unknown: 'Unknown'};

const present = (value) => value !== null && value !== undefined && value !== '';
const list = (items, item) => h('ul', {class: 'plain'}, items.map((x) => h('li', {}, item(x))));
const plain = (value) => (typeof value === 'object' ? JSON.stringify(value) : String(value));

// The card as the recruiter sees it on the candidate's profile (the API's `card`).
function cardPanel(card) {
  if (!card || !card.status) {
    return h('p', {class: 'empty'}, 'Nothing written to Teamtailor yet.');
  }
  const attachments = Array.isArray(card.attachments) ? card.attachments : [];
  const criteria = Array.isArray(card.criteria) ? card.criteria : [];
  const actions = Array.isArray(card.actions) ? card.actions : [];
  const details = card.details && typeof card.details === 'object' ? Object.entries(card.details) : [];
  const pushed = card.result_version === card.pushed_version;
  return h('div', {class: 'card-preview'},
    h('div', {class: 'card-status'}, badge(card.status, 'card'),
      present(card.score) ? h('span', {class: 'score'}, `Score ${card.score}`) : null,
      present(card.grade) ? h('span', {class: 'muted'}, GRADES[card.grade] || words(card.grade)) : null),
    card.summary ? h('p', {class: 'summary'}, card.summary) : null,
    definitionList([
      card.url ? ['Report', safeLink(card.url)] : null,
      present(card.duration_s) ? ['Time taken', formatAge(card.duration_s)] : null,
      attachments.length ? ['Attachments', list(attachments, (a) => safeLink(a.url, a.description || a.url))] : null,
      criteria.length ? ['Criteria', list(criteria, (c) => `${c.id}: ${present(c.score) ? c.score : '—'}`)] : null,
      ...details.map(([key, value]) => [words(key), plain(value)]),
      actions.length ? ['Buttons', list(actions, (a) => a.button_text || plain(a))] : null,
      ['Result version', `${card.result_version ?? '—'} (Teamtailor has ${card.pushed_version || 'none'})`],
    ]),
    h('p', {class: pushed ? 'muted' : 'notice'},
      pushed ? 'Teamtailor shows this version.' : 'This version is waiting to be written to Teamtailor.'));
}

function timelineList(entries) {
  if (!entries.length) return h('p', {class: 'empty'}, 'No events yet.');
  return h('ol', {class: 'timeline'}, entries.map((e) =>
    h('li', {}, h('time', {datetime: e.at}, formatTime(e.at)), h('span', {class: 'kind'}, words(e.kind)), h('span', {class: 'text'}, e.text))));
}

export function orderView({id, toast}) {
  const heading = h('div', {class: 'page-head'}, h('h1', {}, 'Order'));
  const facts = h('div', {});
  const candidate = h('div', {});
  const card = h('div', {});
  const timeline = h('div', {});
  const jobs = h('div', {});

  const step = h('select', {id: 'replay-step', name: 'step'}, STEPS.map((s) => h('option', {value: s.value}, `${s.label}: ${s.help}`)));
  const replay = h('button', {type: 'submit', class: 'button'}, 'Replay step…');
  const replayForm = h('form', {class: 'replay'}, h('label', {for: 'replay-step'}, 'Step'), step, replay);

  const view = {
    title: `Order ${id}`,
    element: h('section', {class: 'page'},
      h('p', {class: 'crumbs'}, h('a', {href: '#/orders'}, '← Orders')),
      heading,
      h('div', {class: 'columns'},
        h('div', {class: 'stack'},
          h('div', {class: 'panel'}, h('h2', {}, 'Order'), facts),
          h('div', {class: 'panel pii'}, h('h2', {}, 'Candidate'), h('p', {class: 'muted'}, 'Personal data: shown on this page only.'), candidate)),
        h('div', {class: 'panel', 'aria-labelledby': 'card-title'}, h('h2', {id: 'card-title'}, 'Card on Teamtailor'), card)),
      h('div', {class: 'panel'}, h('h2', {}, 'Timeline'), timeline),
      h('div', {class: 'panel'}, h('h2', {}, 'Jobs'), jobs),
      h('div', {class: 'panel'}, h('h2', {}, 'Replay one step'),
        h('p', {class: 'muted'}, 'Queues exactly one step of this order again, as ttbridge orders replay does.'), replayForm)),
    async refresh() {
      const order = await api.order(id);
      replace(heading, h('h1', {}, 'Order ', h('span', {class: 'mono'}, order.id), badge(order.status)));
      replace(facts, definitionList([
        ['Tenant', order.tenant], ['Provider', order.provider], ['Test', h('span', {class: 'mono'}, order.test_id)],
        ['Vendor order', h('span', {class: 'mono'}, order.vendor_order_id || '—')],
        ['Created (UTC)', formatTime(order.created_at)], ['Updated (UTC)', formatTime(order.updated_at)],
        order.failure_reason ? ['Failure', h('span', {class: 'error-text'}, words(order.failure_reason))] : null,
      ]));
      const person = order.candidate || {};
      replace(candidate, definitionList([['Name', person.name || '—'], ['Email', person.email || '—']]));
      replace(card, cardPanel(order.card));
      replace(timeline, timelineList(Array.isArray(order.timeline) ? order.timeline : []));
      replace(jobs, table({
        caption: 'Jobs of this order',
        empty: 'No jobs.',
        rows: Array.isArray(order.jobs) ? order.jobs : [],
        columns: [
          {label: 'Job', class: 'num', cell: (j) => h('span', {class: 'mono'}, j.id)},
          {label: 'Step', cell: (j) => j.kind},
          {label: 'State', cell: (j) => badge(j.state, 'job')},
          {label: 'Attempts', class: 'num', cell: (j) => j.attempts},
          {label: 'Runs at (UTC)', class: 'time', cell: (j) => formatTime(j.run_at, {seconds: false})},
          {label: 'Last error', class: 'wide', cell: (j) => j.last_error ? h('span', {class: j.state === 'done' ? 'muted' : 'error-text'}, j.last_error) : '—'},
          {label: 'Action', cell: (j) => j.state === 'dead' ? retryButton({...j, order_id: id}, {toast, changed: () => view.changed?.()}) : '—'},
        ],
      }));
    },
  };

  replayForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = STEPS.find((s) => s.value === step.value);
    const ok = await confirmDialog({
      title: `Replay ${chosen.label}?`,
      body: [h('p', {}, `This will ${chosen.help} for order `, h('strong', {class: 'mono'}, id), '.'),
        h('p', {class: 'muted'}, chosen.value === 'invite'
          ? 'The step is queued once. A failed order reopens; the candidate may get a second invitation if the first reached the vendor.'
          : 'The step is queued once.')],
      confirmLabel: `Replay ${chosen.label}`,
    });
    if (!ok) return;
    replay.disabled = true;
    try {
      await api.replayStep(id, chosen.value);
      toast(`The ${chosen.label} step of order ${id} is queued.`);
    } catch (error) {
      toast(`Replay failed: ${error.message}`, 'error');
    } finally {
      replay.disabled = false;
      view.changed?.();
    }
  });
  return view;
}
