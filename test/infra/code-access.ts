/**
 * What a function's code can call, measured from its source: the handler module and every module
 * it imports (relative, `#shared/*`, `#functions/*`), transitively, scanned for AWS SDK command
 * names (and the item kinds inside DynamoDB transactions). An over-approximation (a reachable
 * module may not be used on every path), so a grant beyond it is certainly unused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FunctionSpec } from '#functions/manifest.ts';
import { PROJECT_ROOT } from '#infra/assets.ts';
import { logicalId, type Synthesized } from './helpers.ts';

const IMPORT =
  /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveImport(from: string, spec: string): string | undefined {
  let base: string | undefined;
  if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  else if (spec.startsWith('#shared/')) base = join(PROJECT_ROOT, 'shared', spec.slice('#shared/'.length));
  else if (spec.startsWith('#functions/')) base = join(PROJECT_ROOT, 'functions', spec.slice('#functions/'.length));
  if (base === undefined) return undefined;
  for (const f of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(f) && f.endsWith('.ts')) return f;
  return undefined;
}

/** The files reachable from `entry` through the project's own imports (type-only ones included). */
function reachableFiles(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(IMPORT)) {
      const next = resolveImport(f, m[1] ?? m[2] ?? '');
      if (next && !seen.has(next)) todo.push(next);
    }
  }
  return [...seen];
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
