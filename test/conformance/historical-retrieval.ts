import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createdFilterCases } from './cases/created-filter.js';
import { entityDfCases } from './cases/entity-df.js';
import { joinSemanticsCases } from './cases/join-semantics.js';
import { outputCases } from './cases/outputs.js';
import { requestCases } from './cases/requests.js';
import { sourceZoneCases } from './cases/source-zones.js';
import { universalCases } from './cases/universal.js';
import { makeHarness, type ConformanceOptions } from './harness.js';

/**
 * Feast's historical-retrieval checklist (FEAST_FACTS.md section 9, DESIGN.md section 5)
 * re-created on fresh synthetic data, each case checked against hand-computed values
 * and the brute-force oracle (test/oracle), never against the SQL under test.
 * Run it once per engine: `runHistoricalConformance('native', () => createNodeEngine(...))`.
 */
export function runHistoricalConformance(label: string, createEngine: () => Promise<SqlEngine>, options: ConformanceOptions = {}): void {
  describe(`historical retrieval conformance on ${label}`, () => {
    let engine: SqlEngine | undefined;
    let dir: string | undefined;
    beforeAll(async () => {
      engine = await createEngine();
      dir = await mkdtemp(join(tmpdir(), 'feast-edge-conformance-'));
    });
    afterAll(async () => {
      await engine?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    const harness = makeHarness(
      label.replace(/\W+/g, '_'),
      () => engine!,
      () => dir!,
      options,
    );

    describe('point-in-time join', () => joinSemanticsCases(harness));
    describe('filterByCreatedTimestamp', () => createdFilterCases(harness));
    describe('source timestamps', () => sourceZoneCases(harness));
    describe('requests: services, projections, on-demand views, errors', () => requestCases(harness));
    describe('entity dataframe', () => entityDfCases(harness));
    describe('results: rows, CSV, Parquet, saved datasets', () => outputCases(harness));
    describe('universal fixture', () => universalCases(harness));
  });
}
