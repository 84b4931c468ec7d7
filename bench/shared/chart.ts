/**
 * The one SVG chart every suite draws: a title, a legend, and panels of horizontal bars, each bar
 * a value (a median or a p50) with a whisker for its spread (slowest to fastest round, or p50 to
 * p99) and its figure written after it. Each panel has its own axis from zero (linear) or over
 * whole decades (log), so panels of different units share one picture; panels fill `columns`
 * columns, row after row.
 */

/** One bar: `value` drawn from the axis, a whisker from `low` to `high`, and `text` after it. */
export interface Bar {
  label: string;
  value: number;
  low: number;
  high: number;
  color: string;
  text: string;
}

/** Bars on one axis. */
export interface Panel {
  /** Written above the panel, bold. */
  title?: string;
  /** Written above the panel on the right, e.g. its unit. */
  note?: string;
  /** The value axis title, e.g. "messages per second (median)". */
  axis: string;
  /** Whole decades instead of a linear axis from zero (for values spanning several). */
  log?: boolean;
  bars: Bar[];
}

/** What {@link barChart} draws. */
export interface ChartSpec {
  title: string;
  subtitle: string;
  legend: { label: string; color: string }[];
  panels: Panel[];
  /** Panels side by side (1 unless given). */
  columns?: number;
}

const MARGIN = 20;
const COLUMN_GAP = 30;
const TOP = 90;
const BAR = 20;
const GAP = 8;
const CHAR = 7;

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** A tick's figure: whole with separators from 100, up to three significant digits below. */
const tick = (v: number) => (v >= 100 ? Math.round(v).toLocaleString("en-US") : String(Number(v.toPrecision(3))));

/** The smallest round axis end at or above `n` whose fifths are round too. */
function niceCeiling(n: number): number {
  if (!(n > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((f) => f * p).find((v) => v >= n)!;
}

/** Maps values to x between `left` and `right`, and names the ticks. */
function scale(panel: Panel, left: number, right: number): { x: (v: number) => number; ticks: number[] } {
  const values = panel.bars.flatMap((b) => [b.value, b.low, b.high]);
  if (panel.log) {
    const positive = values.filter((v) => v > 0);
    const lo = 10 ** Math.floor(Math.log10(Math.min(...positive)));
    const hi = Math.max(lo * 10, 10 ** Math.ceil(Math.log10(Math.max(...positive))));
    const ticks: number[] = [];
    for (let d = lo; d <= hi * 1.0001; d *= 10) ticks.push(d);
    return { x: (v) => left + (Math.log10(Math.max(v, lo) / lo) / Math.log10(hi / lo)) * (right - left), ticks };
  }
  const max = niceCeiling(Math.max(...values));
  return { x: (v) => left + (v / max) * (right - left), ticks: [0, 1, 2, 3, 4, 5].map((t) => (max / 5) * t) };
}

/** Draws one panel with its top-left corner at (`x0`, `y0`); resolves with its height. */
function drawPanel(out: string[], panel: Panel, x0: number, y0: number, width: number, labelW: number, textW: number): number {
  const left = x0 + labelW;
  const right = x0 + width - textW;
  const plotTop = y0 + (panel.title || panel.note ? 22 : 0);
  const plotH = panel.bars.length * (BAR + GAP) + GAP;
  const { x, ticks } = scale(panel, left, right);
  if (panel.title) out.push(`<text x="${x0}" y="${y0 + 12}" font-weight="600">${escape(panel.title)}</text>`);
  if (panel.note) out.push(`<text x="${x0 + width}" y="${y0 + 12}" text-anchor="end" fill="#555">${escape(panel.note)}</text>`);
  for (const t of ticks) {
    out.push(`<line x1="${x(t)}" y1="${plotTop}" x2="${x(t)}" y2="${plotTop + plotH}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${x(t)}" y="${plotTop + plotH + 16}" text-anchor="middle" fill="#444">${tick(t)}</text>`);
  }
  panel.bars.forEach((b, i) => {
    const y = plotTop + GAP + i * (BAR + GAP);
    const mid = y + BAR / 2;
    const [lo, hi] = [x(b.low), x(b.high)];
    out.push(`<text x="${left - 8}" y="${mid + 4}" text-anchor="end">${escape(b.label)}</text>`);
    out.push(`<rect x="${left}" y="${y}" width="${Math.max(0, x(b.value) - left)}" height="${BAR}" fill="${b.color}"/>`);
    out.push(`<path d="M${lo} ${mid}H${hi}M${lo} ${mid - 5}V${mid + 5}M${hi} ${mid - 5}V${mid + 5}" stroke="#222" stroke-width="1.2" fill="none"/>`);
    out.push(`<text x="${Math.max(hi, x(b.value)) + 8}" y="${mid + 4}" fill="#222">${escape(b.text)}</text>`);
  });
  out.push(`<line x1="${left}" y1="${plotTop}" x2="${left}" y2="${plotTop + plotH}" stroke="#222"/>`);
  out.push(`<line x1="${left}" y1="${plotTop + plotH}" x2="${right}" y2="${plotTop + plotH}" stroke="#222"/>`);
  out.push(`<text x="${(left + right) / 2}" y="${plotTop + plotH + 36}" text-anchor="middle" fill="#444">${escape(panel.axis)}</text>`);
  return plotTop + plotH + 36 - y0;
}

/** The whole picture as SVG text. */
export function barChart(spec: ChartSpec): string {
  const columns = spec.columns ?? 1;
  const bars = spec.panels.flatMap((p) => p.bars);
  // Label and figure columns as wide as their longest text, the same in every panel.
  const labelW = Math.max(...bars.map((b) => b.label.length)) * CHAR + 16;
  const textW = Math.max(...bars.map((b) => b.text.length)) * CHAR + 24;
  const panelW = labelW + (columns === 1 ? 480 : 240) + textW;
  const W = Math.max(2 * MARGIN + columns * panelW + (columns - 1) * COLUMN_GAP, spec.title.length * 9 + 2 * MARGIN, spec.subtitle.length * 6.5 + 2 * MARGIN);
  const body: string[] = [];
  let y = TOP;
  for (let i = 0; i < spec.panels.length; i += columns) {
    const heights = spec.panels.slice(i, i + columns).map((p, k) => drawPanel(body, p, MARGIN + k * (panelW + COLUMN_GAP), y, panelW, labelW, textW));
    y += Math.max(...heights) + 28;
  }
  const H = y;
  const legend: string[] = [];
  let lx = MARGIN;
  for (const { label, color } of spec.legend) {
    legend.push(`<rect x="${lx}" y="60" width="12" height="12" fill="${color}"/><text x="${lx + 18}" y="71">${escape(label)}</text>`);
    lx += 18 + label.length * CHAR + 24;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="17" font-weight="600">${escape(spec.title)}</text>`,
    `<text x="${W / 2}" y="48" text-anchor="middle" fill="#555">${escape(spec.subtitle)}</text>`,
    ...legend,
    ...body,
    "</svg>",
  ].join("\n") + "\n";
}

/** A bar of a rate's median with a whisker from its slowest to its fastest round. */
export function spreadBar(label: string, s: { median: number; min: number; max: number }, color: string, unit: string): Bar {
  return { label, value: s.median, low: s.min, high: s.max, color, text: `${Math.round(s.median).toLocaleString("en-US")} ${unit}` };
}
