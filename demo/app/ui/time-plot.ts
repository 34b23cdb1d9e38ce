import { svg, tick } from './svg.js';
import { timePlotGeometry } from './time-plot-geometry.js';

const WIDTH = 320;
const HEIGHT = 140;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

/** A value over time: a line through the buckets that have a value, and a dot (with its value as a title) on each. */
export function timePlot(points: readonly { at: string; mean: number | null }[], label: string): SVGSVGElement {
  const plot = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'plot', role: 'img', 'aria-label': `${label} over time` });
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const geometry = timePlotGeometry(points, { left: PAD.left, top: PAD.top, width: WIDTH - PAD.left - PAD.right, height: innerHeight });
  if (!geometry) return plot;
  const at = (p: { x: number; y: number }) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
  if (geometry.points.length > 1) plot.append(svg('polyline', { points: geometry.points.map(at).join(' '), class: 'line' }));
  for (const p of geometry.points) {
    plot.append(
      svg(
        'circle',
        { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: 2.2, class: 'dot' },
        svg('title', {}, `${p.at.slice(0, 16).replace('T', ' ')}: ${tick(p.mean)}`),
      ),
    );
  }
  const baseline = PAD.top + innerHeight;
  const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  plot.append(
    svg('line', { x1: PAD.left, y1: baseline, x2: WIDTH - PAD.right, y2: baseline, class: 'axis' }),
    svg('text', { x: PAD.left, y: HEIGHT - 6, class: 'tick' }, day(geometry.t0)),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 6, class: 'tick', 'text-anchor': 'end' }, day(geometry.t1)),
    svg('text', { x: PAD.left - 4, y: PAD.top + 8, class: 'tick', 'text-anchor': 'end' }, tick(geometry.high)),
    svg('text', { x: PAD.left - 4, y: baseline, class: 'tick', 'text-anchor': 'end' }, tick(geometry.low)),
  );
  return plot;
}
