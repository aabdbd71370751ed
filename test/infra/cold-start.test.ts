/**
 * What a cold start loads: the functions that validate no request carry no zod (~90 KB, and its
 * schemas are built at module load), and no function carries zod-to-openapi (the docs' alone). A shared constant or helper that lives beside a module's
 * schemas drags them all in (`sla-watch` did, through one number): keep such things in schema-free
 * modules. The bench measures the bytes and load times themselves (bench/README.md).
 */
import { describe, expect, it } from 'vitest';
import { cloudFunctions } from '#wiring/manifest.ts';
import { modulesImporting } from './code-access.ts';

/** No route and no configuration read through a schema (payment-reconcile parses its merchants with zod). */
const VALIDATE_NOTHING = [
  'outbox-relay',
  'statistics',
  'notifier',
  'scan-checker',
  'sla-watch',
  'appointment-reminders',
  'dvcqg-sync',
] as const;

describe('Cold starts', () => {
  it('names functions of the manifest, none of which has a route', () => {
    const cloud = new Map(cloudFunctions().map((f) => [f.name, f]));
    for (const name of VALIDATE_NOTHING) expect(cloud.get(name)?.routes ?? [], name).toEqual([]);
  });

  it.each(VALIDATE_NOTHING)('%s reaches no module that imports zod', (name) => {
    expect(modulesImporting(name, 'zod')).toEqual([]);
  });

  it.each(cloudFunctions().map((f) => f.name))(
    '%s bundles no OpenAPI extension (the document is built at deploy time)',
    (name) => {
      expect(modulesImporting(name, '@asteasolutions/zod-to-openapi')).toEqual([]);
    },
  );

  it('finds the modules that do, in a function that validates', () => {
    expect(modulesImporting('reports', 'zod').length).toBeGreaterThan(0);
  });
});
