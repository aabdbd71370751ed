import { defineConfig } from 'vitest/config';
import ReplayFirst from './test/helpers/sequencer.ts';

/**
 * Three lanes (`npm run test:unit`, `test:int`, `test:infra`); `npm test` runs them all, and the
 * seed's quarter replayed whole is a fourth lane (`npm run test:seed`; the bench replays it too). The ten
 * slowest tests and files are listed at the end of every run (test/helpers/slowest-reporter.ts).
 *
 * The integration lane is two projects. `int` runs its files in one process per worker, one after
 * the other, without isolation, so that they share one local stack (test/helpers/stack.ts
 * `sharedStack()`): a stack takes seconds to boot. `int-own` holds the files that need a stack of
 * their own (OWN_STACK below, each says why), one process per file as before.
 */

/** Integration files with a stack of their own, and why. */
const OWN_STACK = [
  // Restarts DynamoDB Local mid-run, on a data folder of its own.
  'test/integration/restart.test.ts',
  // The kill test (the relay dies between the write and the publish) and the stream reader's
  // limits: both stop and rewire the outbox relay.
  'test/integration/outbox.test.ts',
  'test/integration/stream-limits.test.ts',
  // The national portal's settings (DVCQG_*) in the environment, and a portal that goes down.
  'test/integration/dvcqg.test.ts',
  // The payment gateways' merchant settings and secrets in the environment, read once per handler.
  'test/integration/payments.test.ts',
  'test/integration/receipts.test.ts',
  'test/integration/payment-interop.test.ts',
  // Change what every other file reads: the catalog, a ward's calendar, the wards and their groups.
  'test/integration/catalog.test.ts',
  'test/integration/calendar.test.ts',
  'test/integration/wards.test.ts',
  // The counters and the board of Bỉm Sơn's point badinh: they assert what the board shows and what
  // a counter calls next, while the auth and kiosk files take tickets and move counters there too.
  'test/integration/queue.test.ts',
  'test/integration/appointments.test.ts',
  // Count everything a ward received today (the reports), so no other file's dossiers may be there.
  'test/integration/indicators.test.ts',
  'test/integration/teams.test.ts',
  'test/pages/pages.test.ts',
  // Spend the per-IP limit of the public routes; write arbitrary catalog entries and calendars.
  'test/trust/public-lookup.test.ts',
  'test/trust/hostile.test.ts',
  // Starts a runtime of its own in a child process (tools/replay.ts).
  'test/integration/replay.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores on CI.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/slowest-reporter.ts'],
    // The replay first, so that the rest of the suite runs beside it (test/helpers/sequencer.ts).
    sequence: { sequencer: ReplayFirst },
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
        // Over HTTP and the AWS SDK against the embedded servers (and Chromium for the pages), on
        // the shared stack: one process per worker runs these files one after another.
        test: {
          name: 'int',
          include: ['test/integration/**/*.test.ts', 'test/trust/**/*.test.ts', 'test/pages/**/*.test.ts'],
          exclude: OWN_STACK,
          isolate: false,
          env: { MOTCUA_TEST_SHARED_STACK: '1' },
        },
      },
      {
        extends: true,
        // The same, each file with a stack (and a process) of its own.
        test: { name: 'int-own', include: OWN_STACK },
      },
      {
        extends: true,
        // The seed's quarter replayed whole (minutes): `npm run test:seed`, not in `npm test`.
        test: { name: 'seed', include: ['test/replay/**/*.test.ts'] },
      },
      {
        extends: true,
        // The synthesized CloudFormation templates, as AWS reads them, and cdk-nag. One process
        // per worker: aws-cdk-lib and the app load once, not once per file.
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false },
      },
    ],
  },
});
