/**
 * knip: unused files, exports and dependencies (`npm run knip`, part of `npm test`).
 *
 * Entry points are what something outside the import graph loads: each deployed function's file
 * (the CDK app bundles and the local runtime imports `functions/<name>.ts` by its manifest name),
 * the local runtime, the CDK app, the tools, the benchmark, the tests and vitest's configuration.
 * package.json `imports` (#shared/* ...) resolve as paths.
 */
import type { KnipConfig } from 'knip';
import { functions } from '#wiring/manifest.ts';

// The local-only entry (`local`) has no file of its own: local/local-routes.ts serves it.
const handlers = functions.filter((fn) => !fn.localOnly).map((fn) => `functions/${fn.name}.ts`);

const config: KnipConfig = {
  // Also entries, found by knip's plugins: local/main.ts and bench/run.ts (the `start` and `bench`
  // scripts of package.json), vitest.config.ts and its setup file (the vitest plugin).
  // functions/authorizer.ts is the API's Lambda authorizer: deployed by infra/api-stack.ts, not a manifest entry.
  entry: [...handlers, 'functions/authorizer.ts', 'infra/app.ts', 'tools/*.ts', 'test/**/*.test.ts'],
  project: ['**/*.ts'],
  ignoreIssues: {
    // bench/lib/probe.ts loads these with `await import()` into class fields, which knip does not follow.
    'functions/adapters/clients.ts': ['exports'],
    'bench/lib/instrument.ts': ['exports'],
  },
  ignoreDependencies: [
    // Resolved by package name at run time and by infra/assets.ts (font files, reference-page assets).
    '@expo-google-fonts/be-vietnam-pro',
    'swagger-ui-dist',
  ],
};

export default config;
