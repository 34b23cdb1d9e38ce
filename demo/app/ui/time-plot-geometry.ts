/** Where a time series lands in a plot area: one point per bucket that has a value, in time order. */
export interface TimePlotGeometry {
  readonly points: readonly { readonly x: number; readonly y: number; readonly at: string; readonly mean: number }[];
  readonly t0: number;
  readonly t1: number;
  readonly low: number;
  readonly high: number;
}

export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Places the buckets that have a value. A bucket without one holds no row (daily rows in
 * hourly buckets leave most of them empty): it is skipped, not a break in the line, so
 * the line joins every point; undefined when no bucket has a value.
 */
export function timePlotGeometry(series: readonly { at: string; mean: number | null }[], area: PlotArea): TimePlotGeometry | undefined {
  const timed = series.map((p) => ({ t: Date.parse(p.at), at: p.at, mean: p.mean })).filter((p) => Number.isFinite(p.t));
  const known = timed.filter((p): p is { t: number; at: string; mean: number } => p.mean !== null && Number.isFinite(p.mean));
  if (known.length === 0) return undefined;
  const [t0, t1] = [timed[0].t, timed[timed.length - 1].t];
  let [low, high] = [Math.min(...known.map((p) => p.mean)), Math.max(...known.map((p) => p.mean))];
  if (low === high) [low, high] = [low - 1, high + 1];
  const x = (t: number) => area.left + (t1 === t0 ? area.width / 2 : ((t - t0) / (t1 - t0)) * area.width);
  const y = (v: number) => area.top + area.height - ((v - low) / (high - low)) * area.height;
  return { points: known.map((p) => ({ x: x(p.t), y: y(p.mean), at: p.at, mean: p.mean })), t0, t1, low, high };
}
