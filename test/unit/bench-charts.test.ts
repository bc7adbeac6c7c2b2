// The benchmark's SVG charts: well-formed (no repeated attribute, balanced
// tags, escaped text) and drawn to scale from the figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barPanels, lineChart } from '../../scripts/bench/charts.ts';

function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const [, closing, name, attributes, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)([^>]*?)(\/?)>/g)) {
    const names = [...attributes!.matchAll(/\s([\w:-]+)=/g)].map((m) => m[1]);
    assert.equal(new Set(names).size, names.length, `repeated attribute in <${name}${attributes}>`);
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes nothing open`);
    else if (!selfClosing) stack.push(name!);
  }
  assert.deepEqual(stack, [], 'every element is closed');
  assert.doesNotMatch(svg.replace(/<[^>]*>/g, ''), /[<>]|&(?!amp;|lt;|gt;)/, 'text is escaped');
}

test('a line chart puts each point at its value on a shared scale', () => {
  const svg = lineChart('Latency <p50> & more', 'clients', 'ms', [
    { name: 'end to end', points: [[1, 30], [8, 150], [32, 400]] },
    { name: 'embed', points: [[1, 5], [8, 20], [32, 80]] },
  ]);
  assertWellFormed(svg);
  assert.match(svg, /Latency &lt;p50&gt; &amp; more/);
  const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)));
  assert.equal(lines.length, 2);
  const [top, bottom] = lines;
  assert.deepEqual(top!.map(([x]) => x), bottom!.map(([x]) => x), 'same x positions for the same x values');
  const zero = Number(/<line [^>]*y1="([\d.]+)"[^>]*\/><text [^>]*>0<\/text>/.exec(svg)![1]);
  const height = (y: number) => zero - y;
  assert.ok(Math.abs(height(top![2]![1]!) / height(bottom![2]![1]!) - 5) < 0.01, '400 is drawn five times as high as 80');
});

test('bar panels scale each panel on its own and label every bar with its value', () => {
  const svg = barPanels('A vs B', [
    { title: 'Throughput', unit: 'docs/s', bars: [{ name: 'A', value: 2 }, { name: 'B', value: 8 }] },
    { title: 'Latency', unit: 'ms', bars: [{ name: 'A', value: 30 }, { name: 'B', value: 300 }] },
  ]);
  assertWellFormed(svg);
  const widths = [...svg.matchAll(/<rect x="170" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(widths.length, 4);
  assert.ok(Math.abs(widths[1]! / widths[0]! - 4) < 0.01);
  assert.ok(Math.abs(widths[3]! / widths[2]! - 10) < 0.01);
  assert.equal(widths[1], widths[3], 'the largest bar of each panel spans the panel');
  for (const value of ['>2<', '>8<', '>30<', '>300<']) assert.ok(svg.includes(value), value);
});
