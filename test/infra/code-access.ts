/**
 * What a function's code can call, measured from its bundle: the project modules that esbuild
 * keeps when it bundles the handler (tree-shaken, as the deployed bundle is: a module reached only
 * through a getter of the composition root that the function never calls is not in it), scanned
 * for AWS SDK command names (and the item kinds inside DynamoDB transactions). An
 * over-approximation (a kept module may not be used on every path), so a grant beyond it is
 * certainly unused.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '#infra/assets.ts';
import type { FunctionSpec } from '#wiring/manifest.ts';
import { logicalId, type Synthesized } from './helpers.ts';

/** The project files whose code is in the bundle of `entry` (packages left out, tree-shaken). */
function reachableFiles(entry: string): string[] {
  const built = buildSync({
    entryPoints: [entry],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    outfile: join(PROJECT_ROOT, 'cdk.out', 'code-access.mjs'),
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    packages: 'external',
    logLevel: 'silent',
  });
  const output = Object.values(built.metafile.outputs)[0];
  if (!output) throw new Error(`esbuild wrote no bundle for ${entry}`);
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => resolve(PROJECT_ROOT, file));
}

/** The project modules in the bundle of `functions/<name>.ts` that import `pkg` (or a subpath of it). */
export function modulesImporting(name: string, pkg: string): string[] {
  const from = new RegExp(`from '${pkg.replace(/[/.]/g, '\\$&')}(/[^']*)?'`);
  return reachableFiles(join(PROJECT_ROOT, 'functions', `${name}.ts`))
    .filter((f) => from.test(readFileSync(f, 'utf8')))
    .map((f) => f.slice(PROJECT_ROOT.length + 1));
}

/** IAM actions each pattern in the code needs. */
const NEEDS: readonly [RegExp, readonly string[]][] = [
  [/\bGet(Item)?Command\b|\bGet:\s*\{/, ['dynamodb:GetItem']],
  [/\bBatchGet(Item)?Command\b/, ['dynamodb:BatchGetItem']],
  [/\bQueryCommand\b|\bpaginateQuery\b/, ['dynamodb:Query']],
  [/\bScanCommand\b|\bpaginateScan\b/, ['dynamodb:Scan']],
  [/\bPut(Item)?Command\b|\bPut:\s*\{/, ['dynamodb:PutItem']],
  [/\bUpdate(Item)?Command\b|\bUpdate:\s*\{/, ['dynamodb:UpdateItem']],
  [/\bDelete(Item)?Command\b|\bDelete:\s*\{/, ['dynamodb:DeleteItem']],
  [/\bConditionCheck:\s*\{/, ['dynamodb:ConditionCheckItem']],
  [/\bBatchWrite(Item)?Command\b/, ['dynamodb:BatchWriteItem']],
  [/\bDescribeTableCommand\b/, ['dynamodb:DescribeTable']],
  // HeadObject needs GetObject; ListBucket lets a missing key read as 404 instead of 403.
  [/\b(GetObject|HeadObject)Command\b/, ['s3:GetObject', 's3:ListBucket']],
  [/\bCopyObjectCommand\b/, ['s3:GetObject', 's3:PutObject']],
  [/\bPutObjectCommand\b/, ['s3:PutObject']],
  [/\bDeleteObjectCommand\b/, ['s3:DeleteObject']],
  [/\bGetObjectAttributesCommand\b/, ['s3:GetObjectAttributes']],
  [/\bListObjects(V2)?Command\b/, ['s3:ListBucket']],
  [/\bPutEventsCommand\b/, ['events:PutEvents']],
  [/\bGetSecretValueCommand\b/, ['secretsmanager:GetSecretValue']],
  [/\bDescribeSecretCommand\b/, ['secretsmanager:DescribeSecret']],
  [/\bSignCommand\b/, ['kms:Sign']],
  [/\bVerifyCommand\b/, ['kms:Verify']],
  [/\bGetPublicKeyCommand\b/, ['kms:GetPublicKey']],
  [/\bSendMessage(Batch)?Command\b/, ['sqs:SendMessage']],
  [/\bSendEmailCommand\b/, ['ses:SendEmail']],
  [/\bSendTextMessageCommand\b/, ['sms-voice:SendTextMessage']],
];

/** The IAM actions the code reachable from `functions/<name>.ts` (or `entry`) can need. */
function actionsCalledBy(name: string, entry = join(PROJECT_ROOT, 'functions', `${name}.ts`)): Set<string> {
  const out = new Set<string>();
  for (const f of reachableFiles(entry)) {
    const src = readFileSync(f, 'utf8');
    for (const [re, actions] of NEEDS) if (re.test(src)) for (const a of actions) out.add(a);
  }
  return out;
}

/** What the platform does with the role: write the function's logs, read its trigger, report failures. */
const platformActions = (spec: FunctionSpec): Set<string> =>
  new Set([
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    ...(spec.tableStream
      ? [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
          // The on-failure destination.
          'sqs:SendMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
        ]
      : []),
    ...(spec.queue
      ? [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ]
      : []),
  ]);

interface PolicyJson {
  readonly Properties: {
    readonly Roles: readonly { Ref: string }[];
    readonly PolicyDocument: { Statement: readonly { Effect: string; Action: string | string[] }[] };
  };
}

/** The actions granted to one function's role (all its policies). */
export function grantedActions(built: Synthesized, name: string): Set<string> {
  const fn = built.api.functions.get(name)?.function;
  if (!fn) throw new Error(`no function ${name}`);
  const roleId = logicalId(fn.executionRole);
  const policies = Object.values(built.apiTemplate.findResources('AWS::IAM::Policy') as Record<string, PolicyJson>);
  const out = new Set<string>();
  for (const p of policies) {
    if (!p.Properties.Roles.some((r) => r.Ref === roleId)) continue;
    for (const s of p.Properties.PolicyDocument.Statement) {
      if (s.Effect !== 'Allow') continue;
      for (const a of Array.isArray(s.Action) ? s.Action : [s.Action]) out.add(a);
    }
  }
  return out;
}

/** The granted actions that neither the code nor the trigger needs. */
export function excessGrants(built: Synthesized, spec: FunctionSpec): string[] {
  const needed = new Set([...actionsCalledBy(spec.name), ...platformActions(spec)]);
  return [...grantedActions(built, spec.name)].filter((a) => !needed.has(a)).sort();
}
