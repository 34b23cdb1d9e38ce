/** Upper bounds (seconds) of the latency histogram buckets. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

/**
 * Request counts and latency histograms per route and status, in Prometheus's text
 * format (GET /metrics). Kept in memory per server instance.
 */
export class ServerMetrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Series>();

  record(route: string, method: string, status: number, seconds: number): void {
    const requestKey = `method="${method}",route="${route}",status="${status}"`;
    this.#requests.set(requestKey, (this.#requests.get(requestKey) ?? 0) + 1);
    const latencyKey = `method="${method}",route="${route}"`;
    let series = this.#latency.get(latencyKey);
    if (!series) this.#latency.set(latencyKey, (series = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    series.count++;
    series.sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.buckets[i]++;
    });
  }

  toPrometheus(): string {
    const lines = [
      '# HELP feast_edge_requests_total HTTP requests answered, by route and status.',
      '# TYPE feast_edge_requests_total counter',
      ...[...this.#requests].map(([labels, count]) => `feast_edge_requests_total{${labels}} ${count}`),
      '# HELP feast_edge_request_duration_seconds Time to answer an HTTP request.',
      '# TYPE feast_edge_request_duration_seconds histogram',
    ];
    for (const [labels, series] of this.#latency) {
      BUCKETS.forEach((bound, i) => lines.push(`feast_edge_request_duration_seconds_bucket{${labels},le="${bound}"} ${series.buckets[i]}`));
      lines.push(`feast_edge_request_duration_seconds_bucket{${labels},le="+Inf"} ${series.count}`);
      lines.push(`feast_edge_request_duration_seconds_sum{${labels}} ${series.sum}`);
      lines.push(`feast_edge_request_duration_seconds_count{${labels}} ${series.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
