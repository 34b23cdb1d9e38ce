/**
 * A Feast repo opened as it is (openFeatureStore over registry.db and Feast's SQLite
 * online_store.db): online reads equal what Feast's get_online_features answered
 * (online-expected.json), the Python on-demand views computed by the repo's TypeScript
 * onDemandTransform supplies; without a supply such a view fails with one error class.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openFeatureStore, type OpenedRepo } from '../../src/runtime/node/open-feature-store.js';
import { feastFixturePath, feastRepoCopy, same, type FeastRepoCopy } from './feast-repo.js';

interface OnlineCase {
  name: string;
  features?: string[];
  feature_service?: string;
  full_feature_names?: boolean;
  entity_rows: Record<string, unknown>[];
  to_dict?: Record<string, unknown[]>;
  error?: { type: string };
}

const requests = (JSON.parse(readFileSync(feastFixturePath('quickstart', 'online-expected.json'), 'utf8')) as { requests: OnlineCase[] }).requests;
const opened: { copy: FeastRepoCopy; repo: OpenedRepo }[] = [];
async function open(transforms: boolean): Promise<OpenedRepo> {
  const copy = feastRepoCopy('quickstart', { onlineStore: true, transforms });
  const repo = await openFeatureStore({ repoPath: copy.dir });
  opened.push({ copy, repo });
  return repo;
}
afterAll(async () => {
  for (const { copy, repo } of opened) {
    await repo.store.close();
    copy.remove();
  }
});

describe("a Feast repo's online store, read by feast-edge", () => {
  it.each(requests.filter((r) => r.to_dict))("answers $name as Feast's get_online_features did", async (request) => {
    const { store } = opened[0]?.repo ? opened[0].repo : await open(true);
    const response = await store.getOnlineFeatures({
      ...(request.features ? { features: request.features } : { featureService: request.feature_service! }),
      entityRows: request.entity_rows,
      fullFeatureNames: request.full_feature_names ?? false,
    });
    const dict = response.toDict() as Record<string, unknown[]>;
    for (const [column, values] of Object.entries(request.to_dict!)) {
      expect(column in dict, `column ${column}`).toBe(true);
      values.forEach((value, i) =>
        expect(same(dict[column][i], value), `${column}[${i}]: Feast ${JSON.stringify(value)}, got ${JSON.stringify(dict[column][i])}`).toBe(true),
      );
    }
    // Columns Feast did not give are the request data feast-edge echoes.
    const requestFields = new Set(request.entity_rows.flatMap((r) => Object.keys(r)));
    for (const column of Object.keys(dict)) if (!(column in request.to_dict!)) expect(requestFields.has(column), column).toBe(true);
  });

  it('refuses a Python on-demand view without a TypeScript transform, naming the view and how to supply one; listing works', async () => {
    const { store } = await open(false);
    expect((await store.listOnDemandFeatureViews()).map((v) => [v.name, v.transformLanguage])).toEqual([
      ['transformed_conv_rate', 'python'],
      ['transformed_conv_rate_fresh', 'python'],
    ]);
    const request = { featureService: 'driver_activity_v1', entityRows: [{ driver_id: 1001, val_to_add: 1, val_to_add_2: 2 }] };
    await expect(store.getOnlineFeatures(request)).rejects.toMatchObject({
      name: 'OnDemandTransformUnavailableError',
      httpStatus: 501,
      message: expect.stringMatching(
        /^on-demand feature view 'transformed_conv_rate' is computed by a Python function \(Feast mode 'pandas'\).*onDemandTransform\(\{ view: 'transformed_conv_rate'/,
      ),
    });
    // Views that need no Python still answer.
    const plain = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entityRows: [{ driver_id: 1001 }] });
    expect(plain.toDict().conv_rate).toHaveLength(1);
  });
});
