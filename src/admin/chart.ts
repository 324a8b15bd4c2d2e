/**
 * Failed logs over time per table as a server-rendered SVG: stacked bars,
 * one per bucket, a colour per table (each at least 3:1 against the white
 * background, WCAG 1.4.11), a title on every bar segment, and a text
 * description; the page puts the same numbers in a table beside it.
 */
import type { FailureBucket } from './overview-query.ts';
import { formatCount, plural, utcText } from './format.ts';
import { html, type Html } from './html.ts';

/** Colours for up to eight tables; the rest share the last one as "other tables". */
export const SERIES_COLOURS = ['#0b57d0', '#b3261e', '#146c2e', '#8e24aa', '#a14d00', '#00696f', '#5b5f97', '#3c4043'] as const;
const OTHER = 'other tables';

const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 12, bottom: 44, left: 52 };

/** The smallest 1, 2 or 5 times a power of ten that is at least `n`. */
function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].map((step) => step * power).find((value) => value >= n) ?? 10 * power);
}

export interface ChartSeries {
  readonly name: string;
  readonly colour: string;
  readonly total: number;
}

export interface FailureChart {
  readonly svg: Html;
  readonly series: readonly ChartSeries[];
  /** Bucket start times, oldest first. */
  readonly buckets: readonly Date[];
  /** counts[bucket][series] */
  readonly counts: readonly (readonly number[])[];
}

/**
 * The x axis label of a bucket, or none: every third hour by the hour (the
 * date at midnight), days at midnight for 6-hour bars, every few days for daily bars.
 */
function axisLabel(start: Date, at: number, bucketMs: number, count: number): string | undefined {
  const text = utcText(start);
  const day = text.slice(5, 10);
  const hour = start.getUTCHours();
  if (bucketMs >= 86_400_000) return at % Math.max(1, Math.ceil(count / 8)) === 0 ? day : undefined;
  if (bucketMs > 3_600_000) return hour === 0 ? day : undefined;
  return hour % 3 !== 0 ? undefined : hour === 0 ? day : text.slice(11, 16);
}

export function failureChart(failures: readonly FailureBucket[], options: { readonly since: Date; readonly now: Date; readonly bucketMs: number; readonly label: string }): FailureChart {
  // Buckets from the one holding `since` to the one holding `now`, aligned as date_bin aligns them (UTC).
  const firstStart = Math.floor(options.since.getTime() / options.bucketMs) * options.bucketMs;
  const buckets: Date[] = [];
  for (let start = firstStart; start <= options.now.getTime(); start += options.bucketMs) buckets.push(new Date(start));
  const totals = new Map<string, number>();
  for (const failure of failures) totals.set(failure.table, (totals.get(failure.table) ?? 0) + failure.count);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const named = ranked.length <= SERIES_COLOURS.length ? ranked : ranked.slice(0, SERIES_COLOURS.length - 1);
  const rest = ranked.slice(named.length);
  const series: ChartSeries[] = named.map(([name, total], at) => ({ name, total, colour: SERIES_COLOURS[at]! }));
  if (rest.length > 0) series.push({ name: OTHER, total: rest.reduce((sum, [, n]) => sum + n, 0), colour: SERIES_COLOURS.at(-1)! });
  const seriesOf = new Map(named.map(([name], at) => [name, at]));
  const counts = buckets.map(() => series.map(() => 0));
  for (const failure of failures) {
    const bucket = Math.round((failure.start.getTime() - firstStart) / options.bucketMs);
    const row = counts[bucket];
    if (row !== undefined) row[seriesOf.get(failure.table) ?? series.length - 1]! += failure.count;
  }
  const total = series.reduce((sum, item) => sum + item.total, 0);
  const highest = Math.max(0, ...counts.map((row) => row.reduce((sum, n) => sum + n, 0)));
  const top = niceCeiling(highest);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(1, buckets.length);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const ticks = [0, top / 4, top / 2, (3 * top) / 4, top].filter((tick) => Number.isInteger(tick));
  const bars = buckets.map((start, at) => {
    let below = 0;
    const end = new Date(start.getTime() + options.bucketMs);
    const segments = series.map((item, index) => {
      const n = counts[at]![index]!;
      if (n === 0) return '';
      const upper = y(below + n);
      const height = y(below) - upper;
      below += n;
      return html`<rect x="${(MARGIN.left + at * slot + slot * 0.1).toFixed(1)}" y="${upper.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${Math.max(height, 1).toFixed(1)}" fill="${item.colour}"><title>${item.name}: ${plural(n, 'failed log')}, ${utcText(start)} to ${utcText(end)} UTC</title></rect>`;
    });
    const text = axisLabel(start, at, options.bucketMs, buckets.length);
    const label =
      text === undefined
        ? ''
        : html`<text x="${(MARGIN.left + at * slot + slot / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" class="axis">${text}</text>`;
    return html`${segments}${label}`;
  });
  const grid = ticks.map(
    (tick) =>
      html`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" class="grid"/><text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" class="axis">${formatCount(tick)}</text>`,
  );
  const busiest = series[0];
  const description =
    total === 0
      ? `No failed logs were captured in the last ${options.label}.`
      : `${plural(total, 'failed log')} captured in the last ${options.label}, in ${plural(series.length, 'table')}${busiest ? `; most in ${busiest.name} (${formatCount(busiest.total)})` : ''}.`;
  const svg = html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">Failed logs per table, by capture time (UTC)</title>
<desc id="chart-desc">${description}</desc>
${grid}
<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" class="baseline"/>
${bars}
${total === 0 ? html`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" class="empty">${description}</text>` : ''}
<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="axis">Capture time (UTC), ${options.bucketMs >= 86_400_000 ? 'by day' : options.bucketMs > 3_600_000 ? `every ${options.bucketMs / 3_600_000} hours` : 'by hour'}</text>
</svg>`;
  return { svg, series, buckets, counts };
}
