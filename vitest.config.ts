import { defineConfig } from 'vitest/config';

/**
 * Three lanes (`npm run test:unit`, `test:int`, `test:infra`); `npm test` runs them all. The ten
 * slowest tests and files are listed at the end of every run (test/helpers/slowest-reporter.ts).
 */
export default defineConfig({
  test: {
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The integration suites share one local stack per file; two cores on CI.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/slowest-reporter.ts'],
    projects: [
      {
        extends: true,
        // Pure domain code and single modules: no server, seconds.
        test: {
          name: 'unit',
          include: ['test/shared/**/*.test.ts', 'test/local/**/*.test.ts', 'test/functions/**/*.test.ts'],
        },
      },
      {
        extends: true,
        // Over HTTP and the AWS SDK against the embedded servers (and Chromium for the pages).
        test: {
          name: 'int',
          include: ['test/integration/**/*.test.ts', 'test/trust/**/*.test.ts', 'test/pages/**/*.test.ts'],
        },
      },
      {
        extends: true,
        // The synthesized CloudFormation templates, as AWS reads them, and cdk-nag.
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'] },
      },
    ],
  },
});
