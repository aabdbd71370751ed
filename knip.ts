/**
 * knip: unused files, exports and dependencies (`npm run knip`, part of `npm test`).
 *
 * Entry points are what something outside the import graph loads: each deployed function's file
 * (the CDK app bundles and the local runtime imports `functions/<name>.ts` by its manifest name),
 * the local runtime, the CDK app, the tools, the benchmark, the tests and vitest's configuration.
 * package.json `imports` (#shared/* ...) resolve as paths.
 */
import type { KnipConfig } from 'knip';
import { functions } from './functions/manifest.ts';

// The local-only entry (`local`) has no file of its own: local/local-routes.ts serves it.
const handlers = functions.filter((fn) => !fn.localOnly).map((fn) => `functions/${fn.name}.ts`);

/**
 * TEMPORARY (issue 9): files other parts of the issue rewrite at the same time. Their unused exports
 * (listed in the integration report) go when those parts are merged; then delete this list.
 */
const pendingIssue9: Record<string, ['exports', 'types']> = {
  // STATUS_TEXT and the other status-name table: one table of status names (item 1).
  'shared/dossier.ts': ['exports', 'types'],
  'shared/forms/render.ts': ['exports', 'types'],
  // MoveResult and moveDossier: the pure transition planner (item 4).
  'shared/use-cases/dossiers.ts': ['exports', 'types'],
  // openApiPath, openapi-extra.ts and the route docs: OpenAPI docs on the typed route keys (item 3).
  'functions/lib/openapi.ts': ['exports', 'types'],
  'functions/lib/openapi-extra.ts': ['exports', 'types'],
  'functions/docs/**': ['exports', 'types'],
  // The middy chain and its helpers: typed routes and principals (items 3 and 5).
  'functions/lib/http.ts': ['exports', 'types'],
  // EVENT_SOURCE (one event source), scheduledEvent and DLQ_RETENTION (in the shared definitions): item 1.
  'functions/manifest.ts': ['exports', 'types'],
  'infra/constructs/manifest-function.ts': ['exports', 'types'],
  'infra/constructs/consumer-queue.ts': ['exports', 'types'],
  // The definitions move into a neutral wiring module (item 6).
  'infra/definitions.ts': ['exports', 'types'],
  // Split along their seams (item 7): an export used in one half may be needed by the other.
  'shared/use-cases/payments.ts': ['exports', 'types'],
  'shared/use-cases/documents.ts': ['exports', 'types'],
};

const config: KnipConfig = {
  // Also entries, found by knip's plugins: local/main.ts and bench/run.ts (the `start` and `bench`
  // scripts of package.json), vitest.config.ts and its setup file (the vitest plugin).
  // functions/authorizer.ts is the API's Lambda authorizer: deployed by infra/api-stack.ts, not a manifest entry.
  entry: [...handlers, 'functions/authorizer.ts', 'infra/app.ts', 'tools/*.ts', 'test/**/*.test.ts'],
  project: ['**/*.ts'],
  ignoreIssues: {
    // bench/lib/probe.ts loads these with `await import()` into class fields, which knip does not follow.
    'functions/adapters/clients.ts': ['exports'],
    'functions/adapters/instrument.ts': ['exports'],
    ...pendingIssue9,
  },
  ignoreDependencies: [
    // Resolved by package name at run time and by infra/assets.ts (font files, reference-page assets).
    '@expo-google-fonts/be-vietnam-pro',
    'swagger-ui-dist',
  ],
};

export default config;
