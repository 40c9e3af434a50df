import { formatCount } from '../format';
import type { WaitBucket, WaitSeries } from '../operations-types';

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { left: 58, right: 12, top: 12, bottom: 30 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** "850 ms", "1.2 s", "2 min 5 s": a wait in the unit that reads best. */
export function formatWait(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const formatClock = (iso: string) => clock.format(new Date(iso));

/** A round number at or above `value`, for the top of the axis: 1, 2 or 5 times a power of ten. */
function niceCeiling(value: number): number {
  if (value <= 0) return 100;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

type Series = 'p50_ms' | 'p95_ms' | 'max_ms';

/** Runs of consecutive buckets that have a value: an empty bucket breaks the line instead of faking zero. */
function runs(buckets: WaitBucket[], field: Series): { i: number; value: number }[][] {
  const result: { i: number; value: number }[][] = [];
  let current: { i: number; value: number }[] = [];
  buckets.forEach((bucket, i) => {
    const value = bucket[field];
    if (value === null) {
      if (current.length) result.push(current);
      current = [];
    } else current.push({ i, value });
  });
  if (current.length) result.push(current);
  return result;
}

/** The chart's sentence: what a screen reader hears instead of the picture (and a caption for everyone). */
export function describeWaits(series: WaitSeries, period: string): string {
  const { overall } = series;
  if (overall.count === 0) return `No first attempt started in the last ${period}.`;
  const worst = series.buckets.reduce<WaitBucket | undefined>(
    (found, bucket) => (bucket.p95_ms !== null && (found?.p95_ms ?? -1) < bucket.p95_ms ? bucket : found),
    undefined,
  );
  return (
    `Over the last ${period}, ${formatCount(overall.count)} first attempts waited a median of ${formatWait(overall.p50_ms)}, ` +
    `${formatWait(overall.p95_ms)} at the 95th percentile and ${formatWait(overall.max_ms)} at most` +
    (worst ? `; the slowest moment was around ${formatClock(worst.start)} (95th percentile ${formatWait(worst.p95_ms)}).` : '.')
  );
}

/**
 * The wait from acceptance to first attempt over a window, drawn by hand in SVG: the 95th percentile of
 * each bucket as a shaded bar, the median as a line, the maximum as a dashed line. The picture is labelled by its title
 * and a sentence; the figures themselves are in the table next to it.
 */
export function WaitChart({ series, id, title, period }: { series: WaitSeries; id: string; title: string; period: string }) {
  const { buckets } = series;
  const top = niceCeiling(Math.max(0, ...buckets.flatMap((bucket) => [bucket.p95_ms ?? 0, bucket.max_ms ?? 0, bucket.p50_ms ?? 0])));
  const step = PLOT_W / Math.max(buckets.length, 1);
  const x = (i: number) => MARGIN.left + (i + 0.5) * step;
  const y = (ms: number) => MARGIN.top + PLOT_H - (Math.min(ms, top) / top) * PLOT_H;
  const baseline = MARGIN.top + PLOT_H;
  const line = (points: { i: number; value: number }[]) => points.map((p, n) => `${n ? 'L' : 'M'}${x(p.i).toFixed(1)} ${y(p.value).toFixed(1)}`).join(' ');
  const ticks = [0, top / 2, top];
  const labelled = [0, Math.floor(buckets.length / 2), buckets.length - 1].filter((i, n, all) => i >= 0 && all.indexOf(i) === n);

  return (
    <figure class="chart" data-testid="wait-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{describeWaits(series, period)}</desc>
        <g class="chart-grid">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
              <text x={MARGIN.left - 6} y={y(tick) + 4} text-anchor="end">
                {formatWait(tick)}
              </text>
            </g>
          ))}
          {labelled.map((i) => (
            <text key={i} x={x(i)} y={HEIGHT - 8} text-anchor={i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle'}>
              {formatClock(buckets[i].start)}
            </text>
          ))}
        </g>
        {buckets.map((bucket, i) =>
          bucket.p95_ms === null ? null : (
            <rect key={`b${i}`} class="chart-p95" x={x(i) - step * 0.4} width={step * 0.8} y={y(bucket.p95_ms)} height={Math.max(1, baseline - y(bucket.p95_ms))} />
          ),
        )}
        {runs(buckets, 'max_ms').map((points) =>
          points.length > 1 ? (
            <path key={`m${points[0].i}`} class="chart-max" d={line(points)} />
          ) : (
            <circle key={`m${points[0].i}`} class="chart-max-dot" cx={x(points[0].i)} cy={y(points[0].value)} r={2.5} />
          ),
        )}
        {runs(buckets, 'p50_ms').map((points) =>
          points.length > 1 ? (
            <path key={`p${points[0].i}`} class="chart-p50" d={line(points)} />
          ) : (
            <circle key={`p${points[0].i}`} class="chart-p50-dot" cx={x(points[0].i)} cy={y(points[0].value)} r={3} />
          ),
        )}
      </svg>
      <figcaption>
        <ul class="chart-legend" aria-label="Legend">
          <li>
            <span class="swatch swatch-p50" aria-hidden="true" /> median (p50)
          </li>
          <li>
            <span class="swatch swatch-p95" aria-hidden="true" /> 95th percentile (bars)
          </li>
          <li>
            <span class="swatch swatch-max" aria-hidden="true" /> maximum (dashed)
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
