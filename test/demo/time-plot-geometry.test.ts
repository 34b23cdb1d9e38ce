import { describe, expect, it } from 'vitest';
import { timePlotGeometry } from '../../demo/app/ui/time-plot-geometry.js';

const DAY = 86_400_000;

describe("the preview's mean-over-time plot", () => {
  const area = { left: 0, top: 0, width: 400, height: 100 };
  it('joins daily points spread over hourly buckets into one line (empty buckets are no break)', () => {
    // 5 daily rows over 20 buckets of 4.8 h (as the worker buckets 2021-04-08..12): buckets 0, 5, 10, 15 and 19 hold a value.
    const start = Date.parse('2021-04-08T00:00:00Z');
    const width = (4 * DAY) / 20;
    const filled = new Map([
      [0, 10],
      [5, 11],
      [10, 12],
      [15, 13],
      [19, 14],
    ]);
    const series = Array.from({ length: 20 }, (_, b) => ({ at: new Date(start + b * width).toISOString(), mean: filled.get(b) ?? null }));
    const geometry = timePlotGeometry(series, area)!;
    expect(geometry.points).toHaveLength(5);
    // Segments drawn = points - 1 on one line. The x axis runs from the first bucket's start to the last's (19 widths).
    [0, 5, 10, 15, 19].forEach((bucket, i) => expect(geometry.points[i].x).toBeCloseTo((400 * bucket) / 19, 9));
    expect(geometry.points.map((p) => p.y)).toEqual([100, 75, 50, 25, 0]);
  });
  it('draws nothing without a value, and one centred point for one bucket', () => {
    expect(timePlotGeometry([{ at: '2021-04-08T00:00:00Z', mean: null }], area)).toBeUndefined();
    expect(timePlotGeometry([{ at: '2021-04-08T00:00:00Z', mean: 3 }], area)!.points).toEqual([{ x: 200, y: 50, at: '2021-04-08T00:00:00Z', mean: 3 }]);
  });
});
