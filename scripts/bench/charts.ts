// Plain SVG charts for BENCHMARKS.md, drawn from the figures of one run: no
// plotting library, no fonts beyond the viewer's sans-serif.
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const W = 640;
const H = 360;
const PAD = { left: 64, right: 150, top: 40, bottom: 48 };

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const label = (x: number, y: number, text: string, extra = '', size = 12) => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="sans-serif" font-size="${size}" ${extra}>${esc(text)}</text>`;
const svg = (title: string, body: string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n<rect width="100%" height="100%" fill="white"/>\n${label(W / 2, 22, title, 'text-anchor="middle" font-weight="bold"', 14)}\n${body.join('\n')}\n</svg>\n`;

/** Tick values 0..max in 4–6 round steps. */
function ticks(max: number): number[] {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => Number((i * step).toPrecision(6)));
}

export interface Series {
  name: string;
  points: [number, number][];
}

/** Lines over a categorical x axis (the x values, evenly spaced, in order). */
export function lineChart(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const xs = [...new Set(series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
  const yTicks = ticks(Math.max(...series.flatMap((s) => s.points.map(([, y]) => y)), 0));
  const yMax = yTicks.at(-1)! || 1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const px = (x: number) => PAD.left + (xs.length === 1 ? plotW / 2 : (xs.indexOf(x) / (xs.length - 1)) * plotW);
  const py = (y: number) => PAD.top + plotH - (y / yMax) * plotH;
  const body = [
    ...yTicks.map((t) => `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/>${label(PAD.left - 6, py(t) + 4, String(t), 'text-anchor="end"')}`),
    ...xs.map((x) => label(px(x), PAD.top + plotH + 18, String(x), 'text-anchor="middle"')),
    label(PAD.left + plotW / 2, H - 8, xLabel, 'text-anchor="middle"'),
    label(16, PAD.top + plotH / 2, yLabel, `text-anchor="middle" transform="rotate(-90 16 ${PAD.top + plotH / 2})"`),
    ...series.flatMap((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const path = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
      return [
        `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`,
        ...s.points.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${colour}"/>`),
        `<rect x="${W - PAD.right + 12}" y="${PAD.top + i * 20}" width="12" height="12" fill="${colour}"/>`,
        label(W - PAD.right + 30, PAD.top + i * 20 + 10, s.name),
      ];
    }),
  ];
  return svg(title, body);
}

export interface BarPanel {
  title: string;
  unit: string;
  bars: { name: string; value: number }[];
}

/** Side-by-side panels of horizontal bars, each panel on its own scale. */
export function barPanels(title: string, panels: BarPanel[]): string {
  const panelH = (H - PAD.top - 10) / panels.length;
  const left = 170;
  const width = W - left - 90;
  const body = panels.flatMap((panel, p) => {
    const top = PAD.top + p * panelH;
    const max = Math.max(...panel.bars.map((b) => b.value), 0) || 1;
    const barH = Math.min(24, (panelH - 30) / panel.bars.length - 6);
    return [
      label(12, top + 14, `${panel.title} (${panel.unit})`, 'font-weight="bold"'),
      ...panel.bars.flatMap((bar, i) => {
        const y = top + 24 + i * (barH + 6);
        const w = (bar.value / max) * width;
        return [label(left - 8, y + barH / 2 + 4, bar.name, 'text-anchor="end"'), `<rect x="${left}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${barH.toFixed(1)}" fill="${COLOURS[i % COLOURS.length]}"/>`, label(left + w + 6, y + barH / 2 + 4, String(bar.value))];
      }),
    ];
  });
  return svg(title, body);
}
