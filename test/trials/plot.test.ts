import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DOMParser } from 'linkedom';
import { renderSeriesSvg } from '../../src/core/trials/plot';
import { valueSeries } from '../../src/core/trials/series';
import { thinLabels } from '../../src/shared/chart/labels';
import { trial, value } from './helpers';

function parse(svg: string) {
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  return new DOMParser().parseFromString(svg, 'image/svg+xml');
}

/** The text of an element without its <title> tooltip (the XML parser may split text at entities). */
function ownText(el: Element): string {
  return [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('');
}

const at = (i: number, minutesApart = 5) => new Date(Date.UTC(2024, 4, 1, 10, 0) + i * minutesApart * 60000).toISOString();

function seriesOf(values: (number | string | null)[], names?: string[], type = 'float') {
  const trials = values.map((v, i) => trial(`id${i}`, { name: names?.[i] ?? `trial ${i}`, createdAt: at(i), tagged: { accuracy: value('accuracy', { type, value: v, repr: String(v) }) } }));
  return valueSeries(trials, 'accuracy');
}

describe('renderSeriesSvg: numbers', () => {
  test('a line, one point per finite value, axes, title and axis label', () => {
    const doc = parse(renderSeriesSvg(seriesOf([0.8, 0.85, 0.9]), { width: 640, height: 400 }));
    const root = doc.documentElement;
    assert.equal(root.getAttribute('width'), '640');
    assert.equal(root.getAttribute('height'), '400');
    assert.equal(doc.querySelectorAll('circle.point').length, 3);
    assert.ok(doc.querySelector('path.series-line')?.getAttribute('d')?.startsWith('M'));
    assert.ok(doc.querySelector('g.x-axis') && doc.querySelector('g.y-axis'));
    const xLabels = [...doc.querySelectorAll('g.x-axis .tick text')].map((t) => t.textContent);
    assert.deepEqual(xLabels, ['trial 0', 'trial 1', 'trial 2']);
    assert.ok(doc.querySelectorAll('g.y-axis .tick text').length >= 2);
    const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
    assert.ok(texts.includes('accuracy across 3 trials'));
    assert.ok(texts.includes('accuracy'), 'the y axis is labelled with the variable');
    assert.match(root.getAttribute('font-family') ?? '', /sans-serif/);
    assert.doesNotMatch(renderSeriesSvg(seriesOf([1, 2])), /<style|<link|href=/);
  });

  test('higher values are drawn higher', () => {
    const doc = parse(renderSeriesSvg(seriesOf([1, 5])));
    const [low, high] = [...doc.querySelectorAll('circle.point')].map((c) => Number(c.getAttribute('cy')));
    assert.ok(high < low);
  });

  test('NaN and ±Infinity are gaps with markers and a note; the line breaks', () => {
    const doc = parse(renderSeriesSvg(seriesOf([0.8, 'NaN', 0.9, 'Infinity', 0.7, '-Infinity', 0.75])));
    assert.equal(doc.querySelectorAll('circle.point').length, 4);
    assert.equal(doc.querySelectorAll('.gap-marker').length, 3);
    const d = doc.querySelector('path.series-line')?.getAttribute('d') ?? '';
    assert.equal((d.match(/M/g) ?? []).length, 4, 'the line restarts after each gap');
    const note = [...doc.querySelectorAll('text')].map((t) => t.textContent).find((t) => t?.startsWith('Gaps'));
    assert.equal(note, 'Gaps in the line: 1 NaN (✕ at the bottom), 1 +∞ (▲ at the top), 1 −∞ (▼ at the bottom).');
    assert.doesNotMatch(d, /NaN|Infinity/);
  });

  test('all values NaN still gives a valid chart', () => {
    const doc = parse(renderSeriesSvg(seriesOf(['NaN', 'NaN'])));
    assert.equal(doc.querySelectorAll('.gap-marker').length, 2);
    assert.doesNotMatch(doc.toString(), /="NaN"/);
  });

  test('names are escaped, cut with an ellipsis, and keep the full name as a tooltip', () => {
    const long = 'a trial name that is far too long to fit under one tick of the axis';
    const svg = renderSeriesSvg(seriesOf([1, 2, 3], ['<script>alert("x")</script>', 'A & B', long]));
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;'));
    const doc = parse(svg);
    const labels = [...doc.querySelectorAll('g.x-axis .tick text')];
    assert.equal(ownText(labels[0]), '<script>alert("x")</script>');
    assert.equal(ownText(labels[1]), 'A & B');
    const cut = ownText(labels[2]);
    assert.ok(cut.endsWith('…') && cut.length < long.length);
    assert.equal(labels[2].querySelector('title')?.textContent, long);
  });

  test('unicode names are cut between graphemes and control characters never reach the XML', () => {
    const emoji = '👩‍🔬'.repeat(30);
    const svg = renderSeriesSvg(seriesOf([1, 2], [emoji, 'bell\u0007 and\nnewline']));
    const doc = parse(svg);
    const cut = ownText(doc.querySelectorAll('g.x-axis .tick text')[0]);
    assert.ok(cut.endsWith('…'));
    assert.ok(cut.slice(0, -1).split('👩‍🔬').every((part) => part === ''), 'no broken emoji sequence');
    assert.ok(!/[\u0000-\u0008]/.test(svg));
  });

  test('thousands of trials: every point drawn, names thinned so they do not overlap', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 50));
    const doc = parse(renderSeriesSvg(seriesOf(values), { width: 900 }));
    assert.equal(doc.querySelectorAll('circle.point').length, 5000);
    const ticks = [...doc.querySelectorAll('g.x-axis .tick')].map((t) => Number(/translate\(([\d.]+)/.exec(t.getAttribute('transform') ?? '')?.[1]));
    assert.ok(ticks.length > 5 && ticks.length < 60, `${ticks.length} labels`);
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i] - ticks[i - 1] >= 20, 'labels at least 20 px apart');
    assert.ok([...doc.querySelectorAll('text')].some((t) => /names shown/.test(t.textContent ?? '')));
  });

  test('auto x axis: trials in bursts are spaced by order, evenly spread trials by time', () => {
    const burst = ['2024-05-01T10:00:00Z', '2024-05-01T10:00:01Z', '2024-05-01T10:00:02Z', '2024-05-09T10:00:00Z'];
    const trials = burst.map((createdAt, i) => trial(`b${i}`, { createdAt, tagged: { v: value('v', { type: 'float', value: i }) } }));
    const byOrder = parse(renderSeriesSvg(valueSeries(trials, 'v')));
    const xs = [...byOrder.querySelectorAll('circle.point')].map((c) => Number(c.getAttribute('cx')));
    assert.ok(Math.abs(xs[1] - xs[0] - (xs[3] - xs[2])) < 1e-6, 'evenly spaced');
    assert.ok([...byOrder.querySelectorAll('text')].some((t) => /creation order/.test(t.textContent ?? '')));
    const byTime = parse(renderSeriesSvg(valueSeries(trials, 'v'), { xAxis: 'time' }));
    const tx = [...byTime.querySelectorAll('circle.point')].map((c) => Number(c.getAttribute('cx')));
    assert.ok(tx[3] - tx[2] > 100 * (tx[1] - tx[0]));
  });
});

describe('renderSeriesSvg: categories', () => {
  test('strings become a categorical y axis with one point per trial', () => {
    const doc = parse(renderSeriesSvg(seriesOf(['rbf', 'linear', 'rbf', 'poly'], undefined, 'str')));
    assert.deepEqual([...doc.querySelectorAll('g.y-axis .tick text')].map((t) => t.textContent), ['rbf', 'linear', 'poly']);
    const points = [...doc.querySelectorAll('circle.point')];
    assert.equal(points.length, 4);
    assert.equal(points[0].getAttribute('cy'), points[2].getAttribute('cy'));
    assert.ok([...doc.querySelectorAll('text')].some((t) => /not all numbers: 3 distinct/.test(t.textContent ?? '')));
  });

  test('mixed numbers and strings are categories too, and text values are escaped', () => {
    const svg = renderSeriesSvg(seriesOf([1, '<b>&</b>'], undefined, 'object'));
    assert.ok(svg.includes('&lt;b&gt;&amp;&lt;/b&gt;'));
    assert.equal(parse(svg).querySelectorAll('g.y-axis .tick').length, 2);
  });
});

describe('thinLabels', () => {
  test('keeps the first and prefers the last, never closer than the gap', () => {
    assert.deepEqual(thinLabels([0, 5, 10, 15, 20, 25], 10), [0, 2, 5]);
    assert.deepEqual(thinLabels([0, 100], 10), [0, 1]);
    assert.deepEqual(thinLabels([], 10), []);
  });
});
