import { defineConfig } from 'vitest/config';

/**
 * One vitest project per runtime a suite needs, so a contributor runs one:
 *   npx vitest run --project unit       (Node only, no system binary; also the type tests)
 *   npx vitest run --project chromium   (the system Chromium: IndexedDB, workers, the demo)
 *   npx vitest run --project workerd    (Cloudflare's runtime through miniflare)
 *   npx vitest run --project deno       (the deno binary)
 *   npx vitest run --project redis      (a redis-server the suite starts)
 * A suite's runtime is the suffix of its file name: `*.chromium.test.ts`, ...
 */
const RUNTIMES = ['chromium', 'workerd', 'deno', 'redis'] as const;
const shared = { testTimeout: 120_000, hookTimeout: 120_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: RUNTIMES.map((runtime) => `**/*.${runtime}.test.ts`),
          // Type-level tests (expectTypeOf, @ts-expect-error): tsc checks them as part of every run.
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      ...RUNTIMES.map((runtime) => ({ test: { ...shared, name: runtime, include: [`test/**/*.${runtime}.test.ts`] } })),
    ],
  },
});
