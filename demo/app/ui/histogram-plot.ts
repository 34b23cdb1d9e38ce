import { svg, tick } from './svg.js';

const WIDTH = 320;
const HEIGHT = 140;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

/** Equal-width bins as bars; each bar's title gives its range and count. */
export function histogramPlot(bins: readonly { from: number; to: number; count: number }[], label: string): SVGSVGElement {
  const plot = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'plot', role: 'img', 'aria-label': `histogram of ${label}` });
  if (bins.length === 0) return plot;
  const top = Math.max(1, ...bins.map((b) => b.count));
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const barWidth = innerWidth / bins.length;
  bins.forEach((bin, i) => {
    const height = (bin.count / top) * innerHeight;
    plot.append(
      svg(
        'rect',
        {
          x: PAD.left + i * barWidth + 0.5,
          y: PAD.top + innerHeight - height,
          width: Math.max(1, barWidth - 1),
          height,
          class: 'bar',
        },
        svg('title', {}, `${tick(bin.from)} to ${tick(bin.to)}: ${bin.count}`),
      ),
    );
  });
  const baseline = PAD.top + innerHeight;
  plot.append(
    svg('line', { x1: PAD.left, y1: baseline, x2: WIDTH - PAD.right, y2: baseline, class: 'axis' }),
    svg('text', { x: PAD.left, y: HEIGHT - 6, class: 'tick' }, tick(bins[0].from)),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 6, class: 'tick', 'text-anchor': 'end' }, tick(bins[bins.length - 1].to)),
    svg('text', { x: PAD.left - 4, y: PAD.top + 8, class: 'tick', 'text-anchor': 'end' }, String(top)),
    svg('text', { x: PAD.left - 4, y: baseline, class: 'tick', 'text-anchor': 'end' }, '0'),
  );
  return plot;
}
