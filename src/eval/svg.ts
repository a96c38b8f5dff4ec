// Hand-written SVG charts for the reports: panels of horizontal bars, one row per label, with 95 %
// interval whiskers where there is one, a highlighted bar for AURORA, and a zero line. No plotting
// library: the output is plain, deterministic text (the same report renders byte for byte).

export interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
  /** Drawn in the accent colour (AURORA's policies). */
  readonly highlight?: boolean;
  /** Drawn hatched-grey: a published figure, not a measurement. */
  readonly published?: boolean;
}

export interface Panel {
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly format: (x: number) => string;
}

const WIDTH = 800;
const LABEL = 250;
const VALUE = 90;
const PLOT = WIDTH - LABEL - VALUE - 30;
const ROW = 18;
const BAR = 12;
const PANEL_HEAD = 28;
const AXIS = 26;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const fmt = (x: number) => Number(x.toFixed(3)).toString();

/** Round tick positions covering [lo, hi]: 1, 2 or 5 × a power of ten apart. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function panelSvg(panel: Panel, top: number): { svg: string; height: number } {
  const values = panel.bars.flatMap((b) => [b.value, b.low ?? null, b.high ?? null]).filter((v): v is number => v !== null && Number.isFinite(v));
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi === lo) hi = lo + 1;
  const ticks = niceTicks(lo, hi);
  lo = Math.min(lo, ticks[0]!);
  hi = Math.max(hi, ticks[ticks.length - 1]!);
  const x = (v: number) => LABEL + ((v - lo) / (hi - lo)) * PLOT;
  const parts: string[] = [];
  parts.push(`<text x="10" y="${top + 18}" class="panel">${escapeXml(panel.title)}</text>`);
  const plotTop = top + PANEL_HEAD;
  const plotHeight = panel.bars.length * ROW;
  for (const t of ticks) {
    parts.push(`<line x1="${fmt(x(t))}" y1="${plotTop}" x2="${fmt(x(t))}" y2="${plotTop + plotHeight}" class="grid"/>`);
    parts.push(`<text x="${fmt(x(t))}" y="${plotTop + plotHeight + 14}" class="tick">${escapeXml(panel.format(t))}</text>`);
  }
  panel.bars.forEach((b, i) => {
    const y = plotTop + i * ROW;
    const cls = b.highlight ? 'bar aurora' : b.published ? 'bar published' : 'bar';
    parts.push(`<text x="${LABEL - 8}" y="${y + BAR - 1}" class="label">${escapeXml(b.label)}</text>`);
    if (b.value === null || !Number.isFinite(b.value)) {
      parts.push(`<text x="${LABEL + 4}" y="${y + BAR - 1}" class="value">n/a</text>`);
      return;
    }
    const x0 = x(Math.min(0, b.value));
    const x1 = x(Math.max(0, b.value));
    parts.push(`<rect x="${fmt(x0)}" y="${y}" width="${fmt(Math.max(0.5, x1 - x0))}" height="${BAR}" class="${cls}"/>`);
    if (b.low != null && b.high != null && Number.isFinite(b.low) && Number.isFinite(b.high)) {
      const cy = y + BAR / 2;
      parts.push(`<path d="M${fmt(x(b.low))} ${cy}H${fmt(x(b.high))}M${fmt(x(b.low))} ${cy - 4}v8M${fmt(x(b.high))} ${cy - 4}v8" class="ci"/>`);
    }
    parts.push(`<text x="${WIDTH - 10}" y="${y + BAR - 1}" class="value">${escapeXml(panel.format(b.value))}</text>`);
  });
  parts.push(`<line x1="${fmt(x(0))}" y1="${plotTop}" x2="${fmt(x(0))}" y2="${plotTop + plotHeight}" class="zero"/>`);
  return { svg: parts.join('\n'), height: PANEL_HEAD + plotHeight + AXIS };
}

/** A figure of stacked panels, with a title and an optional caption line under it. */
export function panelsSvg(title: string, panels: readonly Panel[], caption = ''): string {
  const head = caption === '' ? 34 : 52;
  let top = head;
  const body: string[] = [];
  for (const p of panels) {
    const { svg, height } = panelSvg(p, top);
    body.push(svg);
    top += height;
  }
  const height = top + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    '<style>',
    '.title{font-size:15px;font-weight:bold}.caption{fill:#555}.panel{font-size:12px;font-weight:bold}',
    '.label{text-anchor:end}.value{text-anchor:end;fill:#333}.tick{text-anchor:middle;fill:#666;font-size:10px}',
    '.grid{stroke:#e3e3e3}.zero{stroke:#888}.bar{fill:#8da0cb}.aurora{fill:#e5892d}.published{fill:#bbbbbb}.ci{stroke:#222;fill:none}',
    '</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" class="title">${escapeXml(title)}</text>`,
    caption === '' ? '' : `<text x="10" y="40" class="caption">${escapeXml(caption)}</text>`,
    ...body,
    '</svg>',
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n';
}
