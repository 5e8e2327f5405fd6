// Building the page from data: elements from plain values (never from HTML strings, so text from
// the API can never become markup), and the formats the pages share.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  return el;
}

// h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]) -> HTMLElement
export function h(tag, attrs, ...children) {
  const el = apply(document.createElement(tag), attrs);
  append(el, children);
  return el;
}

// The same for SVG elements (charts.js).
export function s(tag, attrs, ...children) {
  const el = apply(document.createElementNS(SVG_NS, tag), attrs);
  append(el, children);
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const pad = (n) => String(n).padStart(2, '0');

// "2026-11-30T05:20:00Z" -> "2026-11-30 05:20:00" (UTC, as the API and the logs give it).
export function formatTime(iso, {seconds = true} = {}) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return `${date} ${time}${seconds ? ':' + pad(d.getUTCSeconds()) : ''}`;
}

// "HH:MM" in UTC, for chart axes.
export function formatClock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function formatAge(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const hours = Math.floor(s / 3600);
  if (hours < 48) return `${hours} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(hours / 24)} days`;
}

export const words = (text) => String(text ?? '').replaceAll('_', ' ');

// A coloured label for a status word; the colour comes from style.css by the word itself.
export function badge(word, kind = 'status') {
  const value = word || 'unknown';
  return h('span', {class: ['badge', `${kind}-${value}`]}, value === 'ok' ? 'OK' : words(value));
}

// A table whose cells name their column (data-label), so that style.css can stack each row into
// a card on a narrow screen instead of letting the page scroll sideways.
export function table({columns, rows, empty, caption}) {
  if (rows.length === 0) return h('p', {class: 'empty'}, empty);
  return h('div', {class: 'table-wrap'},
    h('table', {class: 'data'},
      caption ? h('caption', {class: 'visually-hidden'}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col', class: c.class}, c.label)))),
      h('tbody', {}, rows.map((row) => h('tr', {},
        columns.map((c) => h('td', {'data-label': c.label, class: c.class},
          h('div', {class: 'cell'}, c.cell(row)))))))));
}

export function definitionList(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(Boolean).map(([term, value]) =>
    h('div', {}, h('dt', {}, term), h('dd', {}, value ?? '—'))));
}

// Only http(s) links from the API become clickable.
export function safeLink(url, text) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
      return h('a', {href: parsed.href, target: '_blank', rel: 'noopener noreferrer'}, text ?? url);
    }
  } catch {
    // not a URL: shown as text
  }
  return h('span', {}, url ?? '—');
}
