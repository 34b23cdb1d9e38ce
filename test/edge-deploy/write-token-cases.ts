import { expect } from 'vitest';

/**
 * The README's token rule, asked of one deployment with only the write token set: reads
 * stay open (200 without a token), writes need the token (401 without it, 200 with it),
 * and a read then returns the value written (0.25, chosen here, not read back from code).
 */
export const WRITE_TOKEN = 'w-only-secret';

type Send = (path: string, body: unknown, token?: string) => Promise<{ status: number; json: unknown }>;

/** `send` posts JSON to the deployment and returns the status and parsed body. */
export async function expectWriteTokenOnlyRule(send: Send): Promise<void> {
  const read = () => send('/get-online-features', { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [4242] } });
  const before = await read();
  expect(before.status).toBe(200);
  const row = {
    feature_view_name: 'driver_hourly_stats',
    df: {
      driver_id: [4242],
      event_timestamp: [new Date().toISOString()],
      conv_rate: [0.25],
      acc_rate: [0.5],
      avg_daily_trips: [3],
      label: ['token-rule'],
    },
  };
  const anonymous = await send('/write-to-online-store', row);
  expect([anonymous.status, anonymous.json]).toEqual([401, { detail: 'Missing authentication token' }]);
  expect((await send('/write-to-online-store', row, 'not-the-token')).status).toBe(403);
  expect((await send('/write-to-online-store', row, WRITE_TOKEN)).status).toBe(200);
  const after = await read();
  expect(after.status).toBe(200);
  const results = (after.json as { results: { values: unknown[]; statuses: string[] }[] }).results;
  expect(results[1]).toMatchObject({ values: [0.25], statuses: ['PRESENT'] });
}

/** A Send over `fetch` against an origin. */
export function fetchSend(origin: string, fetcher: (url: string, init: RequestInit) => Promise<Response> = fetch): Send {
  return async (path, body, token) => {
    const response = await fetcher(`${origin}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
  };
}
