// Hand-drawn SVG charts for the overview: lines for the queue's depth, bars for throughput. They
// are drawn at the pixel width of their box (redrawn on resize), so text stays readable on a
// phone, and every point carries a <title> that the browser shows on hover.

import {h, s, formatClock} from './dom.js';

const HEIGHT = 200;
const MARGIN = {top: 12, right: 12, bottom: 26, left: 40};

// A round tick step (1, 2 or 5 times a power of ten, whole numbers only) for about four ticks, and
// the axis' top: the first tick at or above the largest value.
function scale(max) {
  const rough = Math.max(1, max) / 4;
  let step = 1;
  if (rough > 1) {
    const magnitude = 10 ** Math.floor(Math.log10(rough));
    step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough);
  }
  return {top: Math.max(step, step * Math.ceil(max / step)), step};
}

function frame(width, points, series) {
  const max = Math.max(0, ...points.flatMap((p) => series.map((k) => Number(p[k.key]) || 0)));
  const {top, step} = scale(max);
  const plotW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v) => MARGIN.top + plotH - (v / top) * plotH;
  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(s('line', {class: 'grid', x1: MARGIN.left, x2: MARGIN.left + plotW, y1: y(v), y2: y(v)}));
    grid.push(s('text', {class: 'tick', x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end'}, v));
  }
  return {plotW, plotH, y, grid};
}

// About one time label per 110 px, always the first and the last point.
function timeLabels(points, x) {
  const out = [];
  if (points.length === 0) return out;
  const every = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor(x.width / 110))));
  points.forEach((p, i) => {
    if (i % every !== 0 && i !== points.length - 1) return;
    if (i !== points.length - 1 && points.length - 1 - i < every / 2) return;
    const anchor = i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
    out.push(s('text', {class: 'tick', x: x.at(i), y: HEIGHT - 8, 'text-anchor': anchor}, formatClock(p.at)));
  });
  return out;
}

function legend(series) {
  return h('ul', {class: 'legend'}, series.map((k) =>
    h('li', {}, h('span', {class: ['swatch', k.class], 'aria-hidden': 'true'}), k.label)));
}

function empty(text) {
  return h('p', {class: 'empty chart-empty'}, text);
}

// series: [{key, label, class}], points: [{at, <key>: number}], oldest first.
export function lineChart({width, points, series, label}) {
  if (points.length === 0) return empty('No samples yet; the daemon records one a minute.');
  const {plotW, y, grid} = frame(width, points, series);
  const x = {width: plotW, at: (i) => MARGIN.left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW)};
  const lines = series.map((k) => {
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x.at(i).toFixed(1)},${y(Number(p[k.key]) || 0).toFixed(1)}`).join(' ');
    const dots = points.map((p, i) => s('circle', {class: ['dot', k.class, i === points.length - 1 && 'last'], cx: x.at(i), cy: y(Number(p[k.key]) || 0), r: 3.5},
      s('title', {}, `${formatClock(p.at)} UTC · ${k.label}: ${Number(p[k.key]) || 0}`)));
    return s('g', {}, s('path', {class: ['line', k.class], d}), dots);
  });
  return h('figure', {class: 'chart'},
    s('svg', {width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': label},
      grid, lines, timeLabels(points, x)),
    legend(series));
}

// The series of one point stand side by side in its slot.
export function barChart({width, points, series, label}) {
  if (points.length === 0) return empty('No samples yet; the daemon records one a minute.');
  const {plotW, y, grid} = frame(width, points, series);
  const slot = plotW / points.length;
  const bar = Math.max(1, (slot * 0.8) / series.length);
  const x = {width: plotW, at: (i) => MARGIN.left + slot * i + slot / 2};
  const bars = points.map((p, i) => s('g', {}, series.map((k, j) => {
    const value = Number(p[k.key]) || 0;
    const top = y(value);
    return s('rect', {class: ['bar', k.class], x: MARGIN.left + slot * i + slot * 0.1 + bar * j, y: top,
      width: bar, height: Math.max(0, y(0) - top)},
    s('title', {}, `${formatClock(p.at)} UTC · ${k.label}: ${value}`));
  })));
  return h('figure', {class: 'chart'},
    s('svg', {width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': label},
      grid, bars, timeLabels(points, x)),
    legend(series));
}
