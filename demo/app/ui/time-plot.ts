import { svg, tick } from './svg.js';

const WIDTH = 320;
const HEIGHT = 140;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

/** A value over time as a polyline; a bucket with no value breaks the line. */
export function timePlot(points: readonly { at: string; mean: number | null }[], label: string): SVGSVGElement {
  const plot = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'plot', role: 'img', 'aria-label': `${label} over time` });
  const known = points.map((p) => ({ t: Date.parse(p.at), v: p.mean })).filter((p) => Number.isFinite(p.t));
  const values = known.flatMap((p) => (p.v === null ? [] : [p.v]));
  if (values.length === 0) return plot;
  const [t0, t1] = [known[0].t, known[known.length - 1].t];
  let [low, high] = [Math.min(...values), Math.max(...values)];
  if (low === high) [low, high] = [low - 1, high + 1];
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (t1 === t0 ? innerWidth / 2 : ((t - t0) / (t1 - t0)) * innerWidth);
  const y = (v: number) => PAD.top + innerHeight - ((v - low) / (high - low)) * innerHeight;
  let segment: string[] = [];
  const flush = () => {
    if (segment.length > 0) plot.append(svg('polyline', { points: segment.join(' '), class: 'line' }));
    segment = [];
  };
  for (const p of known) {
    if (p.v === null) flush();
    else segment.push(`${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`);
  }
  flush();
  const baseline = PAD.top + innerHeight;
  const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  plot.append(
    svg('line', { x1: PAD.left, y1: baseline, x2: WIDTH - PAD.right, y2: baseline, class: 'axis' }),
    svg('text', { x: PAD.left, y: HEIGHT - 6, class: 'tick' }, day(t0)),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 6, class: 'tick', 'text-anchor': 'end' }, day(t1)),
    svg('text', { x: PAD.left - 4, y: PAD.top + 8, class: 'tick', 'text-anchor': 'end' }, tick(high)),
    svg('text', { x: PAD.left - 4, y: baseline, class: 'tick', 'text-anchor': 'end' }, tick(low)),
  );
  return plot;
}
