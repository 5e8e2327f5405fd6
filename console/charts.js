// Hand-drawn SVG charts for the overview: lines for the queue's depth, bars for throughput, over
// the hour that ends at the newest sample (one slot per sample interval, so a daemon that started
// ten minutes ago fills the right-hand sixth and a gap in the samples stays a gap). They are
// drawn at the pixel width of their box (redrawn on resize), so text stays readable on a phone,
// and every sample carries a <title> that the browser shows on hover.

import {h, s, formatClock} from './dom.js';

const HEIGHT = 200;
const MARGIN = {top: 12, right: 14, bottom: 26, left: 40};
const SLOTS = 60;

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

const value = (point, key) => Number(point[key]) || 0;

// The frame shared by both charts: the y axis with its grid, the time slots and their labels.
function frame({width, points, series, intervalS}) {
  const interval = (intervalS > 0 ? intervalS : 60) * 1000;
  const end = Date.parse(points[points.length - 1].at);
  const start = end - (SLOTS - 1) * interval;
  const samples = points
    .map((p) => ({point: p, slot: Math.round((Date.parse(p.at) - start) / interval)}))
    .filter((p) => p.slot >= 0 && p.slot < SLOTS);
  const max = Math.max(0, ...samples.flatMap((p) => series.map((k) => value(p.point, k.key))));
  const {top, step} = scale(max);
  const plotW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v) => MARGIN.top + plotH - (v / top) * plotH;
  const axis = [];
  for (let v = 0; v <= top; v += step) {
    axis.push(s('line', {class: 'grid', x1: MARGIN.left, x2: MARGIN.left + plotW, y1: y(v), y2: y(v)}));
    axis.push(s('text', {class: 'tick', x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end'}, v));
  }
  const labelled = plotW < 320 ? [0, 30, SLOTS - 1] : [0, 15, 30, 45, SLOTS - 1];
  const clock = (slot) => formatClock(new Date(start + slot * interval).toISOString());
  return {samples, plotW, y, axis, labelled, clock};
}

function timeLabels(f, x) {
  return f.labelled.map((slot, i) => s('text', {
    class: 'tick', x: x(slot), y: HEIGHT - 8,
    'text-anchor': i === 0 ? 'start' : i === f.labelled.length - 1 ? 'end' : 'middle',
  }, f.clock(slot)));
}

function legend(series) {
  return h('ul', {class: 'legend'}, series.map((k) =>
    h('li', {}, h('span', {class: ['swatch', k.class], 'aria-hidden': 'true'}), k.label)));
}

function chart(width, label, children, series) {
  return h('figure', {class: 'chart'},
    s('svg', {width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': label}, children),
    legend(series));
}

const noSamples = () => h('p', {class: 'empty chart-empty'}, 'No samples yet; the daemon records one a minute.');

// series: [{key, label, class}]; points: [{at, <key>: number}], oldest first; intervalS: seconds
// between samples.
export function lineChart({width, points, series, label, intervalS}) {
  if (points.length === 0) return noSamples();
  const f = frame({width, points, series, intervalS});
  const x = (slot) => MARGIN.left + (slot / (SLOTS - 1)) * f.plotW;
  const lines = series.map((k) => {
    // A missing sample (the daemon was down) breaks the line instead of bridging the gap.
    const d = f.samples.map((p, i) => {
      const joined = i > 0 && p.slot === f.samples[i - 1].slot + 1;
      return `${joined ? 'L' : 'M'}${x(p.slot).toFixed(1)},${f.y(value(p.point, k.key)).toFixed(1)}`;
    }).join(' ');
    const dots = f.samples.map((p, i) => s('circle', {
      class: ['dot', k.class, i === f.samples.length - 1 && 'last'],
      cx: x(p.slot), cy: f.y(value(p.point, k.key)), r: 3.5,
    }, s('title', {}, `${formatClock(p.point.at)} UTC · ${k.label}: ${value(p.point, k.key)}`)));
    return s('g', {}, s('path', {class: ['line', k.class], d}), dots);
  });
  return chart(width, label, [f.axis, lines, timeLabels(f, x)], series);
}

// The series of one sample stand side by side in its slot.
export function barChart({width, points, series, label, intervalS}) {
  if (points.length === 0) return noSamples();
  const f = frame({width, points, series, intervalS});
  const slotW = f.plotW / SLOTS;
  const barW = Math.max(1, (slotW * 0.8) / series.length);
  const x = (slot) => MARGIN.left + slotW * slot + slotW / 2;
  const bars = f.samples.map((p) => s('g', {}, series.map((k, j) => {
    const top = f.y(value(p.point, k.key));
    return s('rect', {
      class: ['bar', k.class], x: MARGIN.left + slotW * p.slot + slotW * 0.1 + barW * j, y: top,
      width: barW, height: Math.max(0, f.y(0) - top),
    }, s('title', {}, `${formatClock(p.point.at)} UTC · ${k.label}: ${value(p.point, k.key)}`));
  })));
  return chart(width, label, [f.axis, bars, timeLabels(f, x)], series);
}
