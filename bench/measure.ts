/** Timing and memory helpers shared by the benchmarks. */

export interface Measurement {
  medianMs: number;
  runsMs: number[];
  peakRssMb: number;
  /** Peak RSS minus RSS when the figure started: what this figure itself added. */
  rssGrowthMb: number;
}

/** Runs `fn` `runs` times (after `warmup` untimed runs) and samples RSS while it runs. */
export async function measure(fn: () => Promise<unknown>, options: { runs?: number; warmup?: number } = {}): Promise<Measurement> {
  const runs = options.runs ?? 3;
  const times: number[] = [];
  const rssAtStart = process.memoryUsage().rss;
  let peak = rssAtStart;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  } finally {
    clearInterval(sampler);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], runsMs: times, peakRssMb: peak / 2 ** 20, rssGrowthMb: (peak - rssAtStart) / 2 ** 20 };
}

export const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${Math.round(ms * 1000)} µs`);
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** Latency percentiles (ms) of `iterations` sequential calls after 50 untimed ones. */
export async function latency(fn: () => Promise<unknown>, iterations: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}
