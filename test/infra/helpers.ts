/**
 * Synthesis helpers for the infra tests: the app without bundling, its two templates, and a
 * manifest that exercises every trigger and access kind (the real one does not use them all yet).
 */
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type BuildAppOptions, buildApp, type MotcuaApp } from '#infra/app.ts';
import type { FunctionSpec } from '#wiring/manifest.ts';

/** The alarm subscriber the tests deploy with (required for the default stage, prod). */
export const TEST_ALARM_EMAIL = 'alarms@example.org';

/** Context that skips esbuild (templates only, in milliseconds), with the settings prod requires. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [], 'motcua:alarmEmail': TEST_ALARM_EMAIL } as const;

export interface Synthesized extends MotcuaApp {
  readonly apiTemplate: Template;
  readonly statefulTemplate: Template;
}

/** The app as deployed (no options): built once per process, the infra files share a process. */
let standard: Synthesized | undefined;

/**
 * Builds the app without bundling (and, unless asked, without the nag plugin) and synthesizes it.
 * Without options the same app is handed to every caller of the process: read it, never add to it.
 */
export function synth(opts: BuildAppOptions = {}): Synthesized {
  if (Object.keys(opts).length > 0) return build(opts);
  standard ??= build(opts);
  return standard;
}

function build(opts: BuildAppOptions): Synthesized {
  const built = buildApp({ nag: false, ...opts, context: { ...NO_BUNDLING, ...opts.context } });
  return {
    ...built,
    apiTemplate: Template.fromStack(built.api),
    statefulTemplate: Template.fromStack(built.stateful),
  };
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(child as CfnElement);
}

/** A CloudFormation resource as found in a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/** The template's resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Readonly<Record<string, CfnResourceJson>> {
  return template.findResources(type) as Record<string, CfnResourceJson>;
}

/** A property of a template resource, typed by the caller's expectation. */
export function prop<T = unknown>(resource: CfnResourceJson, name: string): T {
  return resource.Properties?.[name] as T;
}

/**
 * Every trigger and access kind the manifest grammar allows: an S3-fed queue, a rule-fed queue
 * with two rules, schedules, a public signed callback, the gateway secret, both key uses, bucket
 * read and readwrite. The entries need no files: bundling is skipped.
 */
export const ALL_TRIGGERS: readonly FunctionSpec[] = [
  {
    name: 'scan-checker',
    description: 'Checks uploaded scans (test fixture)',
    memoryMb: 512,
    timeoutS: 30,
    access: { table: 'readwrite', bucket: 'readwrite' },
    queue: { batchSize: 5, maxReceiveCount: 3, visibilityTimeoutS: 180, s3ObjectCreatedPrefix: 'uploads/' },
  },
  {
    name: 'sla-watch',
    description: 'Due-soon, overdue and apology work (test fixture)',
    memoryMb: 256,
    timeoutS: 60,
    access: { table: 'readwrite' },
    schedules: [
      { name: 'sla-due-soon', everyMinutes: 15 },
      { name: 'sla-overdue', everyMinutes: 60 },
    ],
    queue: {
      batchSize: 10,
      maxReceiveCount: 5,
      visibilityTimeoutS: 360,
      rules: [
        {
          name: 'accepted-to-sla',
          pattern: { source: ['motcua.dossiers'], 'detail-type': ['DossierStatusChanged'], detail: { to: [2, 4] } },
        },
        {
          name: 'paused-to-sla',
          pattern: { source: ['motcua.dossiers'], detail: { to: [{ 'anything-but': [1, 3] }] } },
        },
      ],
    },
  },
  {
    name: 'payments',
    description: 'Payment start and gateway callbacks (test fixture)',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite', gatewaySecret: true },
    routes: [
      { method: 'POST', path: '/v1/dossiers/{dossierId}/payments', roles: ['citizen', 'receiver'] },
      { method: 'GET', path: '/v1/payments/vnpay/ipn', roles: 'public' },
    ],
  },
  {
    name: 'results',
    description: 'Signs result documents (test fixture)',
    memoryMb: 512,
    timeoutS: 15,
    access: { table: 'read', bucket: 'read', signingKey: 'sign' },
    routes: [{ method: 'DELETE', path: '/v1/results/{resultId}', roles: ['leader'] }],
  },
  {
    name: 'verify',
    description: 'Verifies signed results (test fixture)',
    memoryMb: 256,
    timeoutS: 10,
    access: { signingKey: 'verify' },
    routes: [{ method: 'GET', path: '/v1/verify/{dossierCode}', roles: 'public' }],
  },
  {
    name: 'relay',
    description: 'Outbox relay (test fixture)',
    memoryMb: 256,
    timeoutS: 30,
    access: { table: 'readwrite', eventBus: true },
    tableStream: { batchSize: 100 },
  },
  {
    name: 'local-only',
    description: 'Never deployed (test fixture)',
    memoryMb: 128,
    timeoutS: 10,
    access: {},
    localOnly: true,
    routes: [{ method: 'POST', path: '/local/token', roles: 'public' }],
  },
];
