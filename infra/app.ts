/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`): the stateful stack and the API stack built from
 * the wiring manifest, checked by cdk-nag's AwsSolutions pack at synthesis.
 * Tests call {@link buildApp} directly; running this file synthesizes the app for the CLI.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Environment, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cloudFunctions, type FunctionSpec } from '#wiring/manifest.ts';
import { ApiStack } from './api-stack.ts';
import { resolveFontFiles } from './assets.ts';
import { readConfig } from './config.ts';
import { EdgeWafStack } from './edge.ts';
import { StatefulStack } from './stateful-stack.ts';

/** Region used when neither AWS_REGION nor CDK_DEFAULT_REGION is set. */
export const DEFAULT_REGION = 'ap-southeast-1';

/**
 * Feature flags this app relies on, as defaults under whatever cdk.json sets (a `cdk init` project
 * would carry them in cdk.json; ours has none yet).
 */
export const FEATURE_FLAGS = {
  // Server access logs delivered under a bucket policy, not the legacy ACL (buckets have ACLs disabled).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  // Notifications added to the imported scans bucket do not remove ones set elsewhere.
  '@aws-cdk/aws-s3:keepNotificationInImportedBucket': true,
  // Merge IAM statements with the same actions: shorter, more readable policies.
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // Classic exports (Fn::ImportValue): the stateful stack cannot be deleted while the API stack uses it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** Context, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip bundling, or `motcua:*` settings. */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Register cdk-nag's AwsSolutions pack as a validation plugin (synthesis fails on findings).
   * @default true
   */
  readonly nag?: boolean;
  /**
   * The manifest entries to build (local-only ones are skipped).
   * @default cloudFunctions() of wiring/manifest.ts
   */
  readonly functions?: readonly FunctionSpec[];
  /** @default AWS_REGION, CDK_DEFAULT_REGION, then ap-southeast-1 */
  readonly region?: string;
  /** @default CDK_DEFAULT_ACCOUNT (environment-agnostic when unset) */
  readonly account?: string | undefined;
  /** Font files for the forms function, relative to the font package (see assets.ts). */
  readonly fontFiles?: readonly string[];
  /** Cloud assembly folder. @default the CLI's, or a temporary one */
  readonly outdir?: string | undefined;
}

/** What {@link buildApp} returns. */
export interface MotcuaApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
  /** The edge's WAF web ACL (us-east-1), unless context motcua:edge is false. */
  readonly edgeWaf?: EdgeWafStack;
}

/** Builds the app: `MotcuaStateful` (data) and `MotcuaApi` (the manifest), the latter depending on the former. */
export function buildApp(opts: BuildAppOptions = {}): MotcuaApp {
  const app = new App({
    context: { ...FEATURE_FLAGS, ...opts.context },
    ...(opts.outdir === undefined ? {} : { outdir: opts.outdir }),
  });
  if (opts.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const config = readConfig(app.node);
  const account = opts.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const env: Environment = {
    region: opts.region ?? process.env.AWS_REGION ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION,
    ...(account === undefined ? {} : { account }),
  };

  // Stack names carry the stage; the construct ids (what `cdk deploy <id>` and the tests name) do not.
  const stateful = new StatefulStack(app, 'MotcuaStateful', {
    env,
    stackName: `motcua-${config.stage}-stateful`,
    stage: config.stage,
    description: 'motcua: table, scans bucket, event bus, gateway secret, signing key, user pool (retained)',
    corsOrigins: config.corsOrigins,
    identity: {
      vneid: config.oidc,
      callbackUrls: config.callbackUrls,
      logoutUrls: config.logoutUrls,
      domainPrefix: config.authDomainPrefix,
    },
  });

  // The WAF web ACL of the CloudFront edge must live in us-east-1 (context motcua:edge=false: no edge).
  const edgeContext: unknown = app.node.tryGetContext('motcua:edge');
  const edgeWaf =
    edgeContext === false || edgeContext === 'false'
      ? undefined
      : new EdgeWafStack(app, 'MotcuaEdgeWaf', {
          env: { ...env, region: 'us-east-1' },
          stackName: `motcua-${config.stage}-edge-waf`,
          description: 'motcua: WAF web ACL of the CloudFront edge (per-IP rate limit on the public guessing routes)',
          crossRegionReferences: true,
        });

  const api = new ApiStack(app, 'MotcuaApi', {
    env,
    stackName: `motcua-${config.stage}-api`,
    stage: config.stage,
    channels: config.channels,
    citizenSignIn: config.citizenSignIn,
    ...(config.vneid ? { vneid: config.vneid } : {}),
    ...(edgeWaf ? { crossRegionReferences: true, edgeWebAclArn: edgeWaf.webAclArn } : {}),
    description: 'motcua: HTTP API, functions, queues, rules and schedules of wiring/manifest.ts',
    functions: (opts.functions ?? cloudFunctions()).filter((f) => !f.localOnly),
    resources: {
      // aws-cdk-lib's classes meet their own interfaces only without exactOptionalPropertyTypes
      // (a getter `string | undefined` against an optional `string`): the assertions are upcasts.
      table: stateful.table as ITable,
      eventBus: stateful.eventBus as IEventBus,
      gatewaySecret: stateful.gatewaySecret as ISecret,
      signingKey: stateful.signingKey,
      deviceTokenKey: stateful.identity.deviceTokenKey,
    },
    userPool: stateful.identity.userPool,
    corsOrigins: config.corsOrigins,
    publicBaseUrl: config.publicBaseUrl,
    procedurePageUrl: config.procedurePageUrl,
    dossierPageUrl: config.dossierPageUrl,
    alarmEmail: config.alarmEmail,
    paymentEnvironment: config.paymentEnvironment,
    fontFiles: opts.fontFiles,
  });
  // The scans bucket is addressed by name: make the order explicit.
  api.addStackDependency(stateful);

  if (edgeWaf) api.addStackDependency(edgeWaf);
  return { app, stateful, api, ...(edgeWaf ? { edgeWaf } : {}) };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { app } = buildApp({ fontFiles: await resolveFontFiles() });
  app.synth();
}
