/**
 * The synthesized templates agree with the wiring manifest: the same routes with the same
 * authorization, one Lambda per cloud function, exactly the manifest's queues with their DLQs,
 * the rules with the manifest's patterns verbatim, the event source mappings with its batch sizes.
 * Run against the real manifest and against a fixture that uses every trigger kind.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kioskOnly, STREAM_RETRY_ATTEMPTS } from '#infra/constructs/manifest-function.ts';
import {
  DEFAULT_STAGE,
  DELIVERY,
  DEVICE_TOKEN_AUDIENCE,
  dlqName,
  eventsDlqName,
  queueName,
  scheduleRetry,
} from '#wiring/definitions.ts';
import { cloudFunctions, type FunctionSpec, functions } from '#wiring/manifest.ts';
import { ALL_TRIGGERS, logicalId, prop, resourcesOf, synth } from './helpers.ts';

/** The tests synthesize the default stage (prod). */
const STAGE = DEFAULT_STAGE;

interface Case {
  readonly label: string;
  readonly all: readonly FunctionSpec[];
}

const CASES: readonly Case[] = [
  { label: 'wiring/manifest.ts', all: functions },
  { label: 'the every-trigger fixture', all: ALL_TRIGGERS },
];

/** `rate(1 hour)` -> 60, `rate(15 minutes)` -> 15. */
function rateInMinutes(expression: unknown): number | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(String(expression));
  if (!m) return undefined;
  const per = { minute: 1, hour: 60, day: 1440 } as const;
  return Number(m[1]) * per[m[2] as keyof typeof per];
}

const routeKeys = (specs: readonly FunctionSpec[]): string[] =>
  specs.flatMap((f) => (f.routes ?? []).map((r) => `${r.method} ${r.path}`));

describe.each(CASES)('Stack: MotcuaApi built from $label', ({ all }) => {
  const cloud = all.filter((f) => !f.localOnly);
  const built = synth({ functions: all });
  const template = built.apiTemplate;
  const fnOf = (name: string) => {
    const f = built.api.functions.get(name);
    if (!f) throw new Error(`no construct for ${name}`);
    return f;
  };

  describe('routes', () => {
    const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));

    it('has exactly the route keys of the cloud functions, each once', () => {
      // Prepare
      const expected = routeKeys(cloud);
      // Act
      const actual = routes.map((r) => prop<string>(r, 'RouteKey'));
      // Assess
      expect(new Set(expected).size).toBe(expected.length);
      expect(actual.sort()).toEqual([...expected].sort());
    });

    it('deploys no route of a local-only function', () => {
      const localKeys = routeKeys(all.filter((f) => f.localOnly));
      const actual = new Set(routes.map((r) => prop<string>(r, 'RouteKey')));
      for (const key of localKeys) expect(actual.has(key)).toBe(false);
    });

    it('leaves public routes without authorization, kiosk-only routes behind the device authorizer, every other behind the API authorizer', () => {
      const authorizers = Object.entries(resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer'));
      // The device authorizer exists where a kiosk-only route does (CDK creates an authorizer with its first route).
      const kioskRoutes = cloud.some((f) => (f.routes ?? []).some(kioskOnly));
      expect(authorizers).toHaveLength(kioskRoutes ? 2 : 1);
      const byAudience = (aud: string) =>
        authorizers.find(([, a]) => JSON.stringify(prop(a, 'JwtConfiguration') ?? {}).includes(aud))?.[0];
      const deviceId = byAudience(DEVICE_TOKEN_AUDIENCE);
      const authorizerId = authorizers.find(([id]) => id !== deviceId)?.[0];
      if (kioskRoutes) expect(deviceId).toBeDefined();
      for (const [id, a] of authorizers) expect(prop(a, 'AuthorizerType')).toBe(id === deviceId ? 'JWT' : 'REQUEST');

      for (const spec of cloud) {
        for (const r of spec.routes ?? []) {
          const route = routes.find((x) => prop(x, 'RouteKey') === `${r.method} ${r.path}`);
          expect(route, `${r.method} ${r.path}`).toBeDefined();
          if (!route) continue;
          if (r.roles === 'public') {
            expect(prop(route, 'AuthorizationType'), `${r.method} ${r.path}`).toBe('NONE');
            expect(prop(route, 'AuthorizerId')).toBeUndefined();
          } else {
            expect(prop(route, 'AuthorizationType'), `${r.method} ${r.path}`).toBe(kioskOnly(r) ? 'JWT' : 'CUSTOM');
            expect(prop(route, 'AuthorizerId'), `${r.method} ${r.path}`).toEqual({
              Ref: kioskOnly(r) ? deviceId : authorizerId,
            });
          }
        }
      }
    });

    it("sends each route to its own function's Lambda integration", () => {
      const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
      for (const spec of cloud) {
        const fnId = logicalId(fnOf(spec.name).function);
        for (const r of spec.routes ?? []) {
          const route = routes.find((x) => prop(x, 'RouteKey') === `${r.method} ${r.path}`);
          const target = route ? prop<{ 'Fn::Join': [string, unknown[]] }>(route, 'Target') : undefined;
          const ref = target?.['Fn::Join'][1][1] as { Ref: string } | undefined;
          const integration = ref ? integrations[ref.Ref] : undefined;
          expect(integration, `${r.method} ${r.path}`).toBeDefined();
          if (!integration) continue;
          expect(prop(integration, 'IntegrationType')).toBe('AWS_PROXY');
          expect(prop(integration, 'PayloadFormatVersion')).toBe('2.0');
          expect(prop(integration, 'IntegrationUri')).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
        }
      }
    });
  });

  describe('functions', () => {
    const lambdas = resourcesOf(template, 'AWS::Lambda::Function');

    it('has exactly one Lambda per cloud function, and otherwise only CDK handlers the triggers need', () => {
      const ours = cloud.map((f) => logicalId(fnOf(f.name).function));
      expect(new Set(ours).size).toBe(cloud.length);
      for (const id of ours) expect(lambdas[id]).toBeDefined();
      const others = Object.keys(lambdas).filter((id) => !ours.includes(id));
      const needsS3Handler = cloud.some((f) => f.queue?.s3ObjectCreatedPrefix !== undefined);
      // CDK's cross-region reader brings the edge's web ACL ARN from us-east-1 (infra/edge.ts).
      expect(
        others
          .map((id) => id.replace(/^(BucketNotificationsHandler)[0-9a-f]{32}[0-9A-F]{8}$/, '$1'))
          .map((id) => id.replace(/^(CustomCrossRegionExportReaderCustomResourceProviderHandler)[0-9A-F]{8}$/, '$1'))
          .map((id) => id.replace(/^(Authorizer)[0-9A-F]{8}$/, '$1'))
          .sort(),
      ).toEqual([
        // The API's Lambda authorizer (functions/authorizer.ts): not a manifest entry, it guards the routes.
        'Authorizer',
        ...(needsS3Handler ? ['BucketNotificationsHandler'] : []),
        'CustomCrossRegionExportReaderCustomResourceProviderHandler',
      ]);
    });

    it('gives each function the size, runtime and architecture of its entry', () => {
      for (const spec of cloud) {
        const fn = lambdas[logicalId(fnOf(spec.name).function)];
        expect(fn, spec.name).toBeDefined();
        if (!fn) continue;
        expect(prop(fn, 'Description')).toBe(spec.description);
        expect(prop(fn, 'MemorySize')).toBe(spec.memoryMb);
        expect(prop(fn, 'Timeout')).toBe(spec.timeoutS);
        expect(prop(fn, 'Runtime')).toBe('nodejs22.x');
        expect(prop(fn, 'Architectures')).toEqual(['arm64']);
      }
    });
  });

  describe('queues', () => {
    const queues = Object.entries(resourcesOf(template, 'AWS::SQS::Queue'));
    const byName = (name: string) => queues.find(([, q]) => prop(q, 'QueueName') === name);

    it('has exactly the queues of the manifest, each with its DLQ, and a DLQ per table stream', () => {
      const expected = cloud.flatMap((f) => [
        ...(f.queue ? [queueName(f.name, STAGE), dlqName(f.name, STAGE)] : []),
        ...((f.queue?.rules ?? []).length > 0 ? [eventsDlqName(f.name, STAGE)] : []),
        ...(f.tableStream ? [dlqName(f.name, STAGE)] : []),
      ]);
      const actual = queues.map(([, q]) => prop<string>(q, 'QueueName'));
      expect(actual.sort()).toEqual(expected.sort());
    });

    it('redrives to the DLQ after maxReceiveCount, with a visibility timeout of at least the function timeout', () => {
      for (const spec of cloud) {
        if (!spec.queue) continue;
        const queue = byName(queueName(spec.name, STAGE));
        const dlq = byName(dlqName(spec.name, STAGE));
        expect(queue && dlq, spec.name).toBeTruthy();
        if (!queue || !dlq) continue;
        expect(prop(queue[1], 'RedrivePolicy')).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [dlq[0], 'Arn'] },
          maxReceiveCount: spec.queue.maxReceiveCount,
        });
        expect(prop(queue[1], 'VisibilityTimeout')).toBe(spec.queue.visibilityTimeoutS);
        expect(spec.queue.visibilityTimeoutS).toBeGreaterThanOrEqual(spec.timeoutS);
      }
    });

    it('encrypts every queue and keeps dead letters 14 days', () => {
      for (const [, q] of queues) {
        expect(prop(q, 'SqsManagedSseEnabled')).toBe(true);
        if (prop<string>(q, 'QueueName').endsWith('-dlq')) expect(prop(q, 'MessageRetentionPeriod')).toBe(14 * 86_400);
      }
    });

    it('alarms on the first message in each DLQ', () => {
      for (const [id, q] of queues) {
        if (!prop<string>(q, 'QueueName').endsWith('-dlq')) continue;
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: Match.anyValue(),
        });
      }
    });
  });

  describe('rules', () => {
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule'));

    it("has one rule per manifest rule, with the manifest's pattern verbatim, targeting the consumer queue", () => {
      const expected = cloud.flatMap((f) => (f.queue?.rules ?? []).map((r) => ({ fn: f.name, ...r })));
      expect(rules).toHaveLength(expected.length);
      for (const r of expected) {
        const rule = rules.find((x) => prop(x, 'Name') === r.name);
        expect(rule, r.name).toBeDefined();
        if (!rule) continue;
        expect(prop(rule, 'EventPattern')).toStrictEqual(r.pattern);
        const queueId = logicalId(fnOf(r.fn).consumerQueue?.queue ?? fnOf(r.fn));
        const dlqId = logicalId(fnOf(r.fn).consumerQueue?.eventsDeadLetterQueue ?? fnOf(r.fn));
        // Retried for a bounded time, then kept in the consumer's events DLQ (never dropped silently).
        expect(prop(rule, 'Targets')).toEqual([
          {
            Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
            Id: 'Queue',
            RetryPolicy: {
              MaximumRetryAttempts: DELIVERY.ruleTarget.maximumRetryAttempts,
              MaximumEventAgeInSeconds: DELIVERY.ruleTarget.maximumEventAgeS,
            },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          },
        ]);
      }
    });

    it('lets each rule, and only it, send to its queue', () => {
      for (const spec of cloud) {
        for (const r of spec.queue?.rules ?? []) {
          const ruleId = Object.entries(resourcesOf(template, 'AWS::Events::Rule')).find(
            ([, x]) => prop(x, 'Name') === r.name,
          )?.[0];
          template.hasResourceProperties('AWS::SQS::QueuePolicy', {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Principal: { Service: 'events.amazonaws.com' },
                  Action: 'sqs:SendMessage',
                  Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
                }),
              ]),
            },
          });
        }
      }
    });
  });

  describe('event source mappings', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));

    it('reads each queue with its batch size and batching window, and reports partial batch failures', () => {
      for (const spec of cloud) {
        if (!spec.queue) continue;
        const queueId = logicalId(fnOf(spec.name).consumerQueue?.queue ?? fnOf(spec.name));
        const mapping = mappings.find(
          (m) => JSON.stringify(prop(m, 'EventSourceArn')) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
        );
        expect(mapping, spec.name).toBeDefined();
        if (!mapping) continue;
        expect(prop(mapping, 'FunctionName')).toEqual({ Ref: logicalId(fnOf(spec.name).function) });
        expect(prop(mapping, 'BatchSize')).toBe(spec.queue.batchSize);
        expect(prop(mapping, 'MaximumBatchingWindowInSeconds')).toBe(spec.queue.maxBatchingWindowS);
        // Lambda takes more than 10 records of a standard queue only with a batching window.
        if (spec.queue.batchSize > 10) expect(spec.queue.maxBatchingWindowS ?? 0).toBeGreaterThanOrEqual(1);
        expect(prop(mapping, 'FunctionResponseTypes')).toEqual(['ReportBatchItemFailures']);
      }
    });

    it('reads the table stream from the oldest record, bisecting failures into a DLQ', () => {
      for (const spec of cloud) {
        if (!spec.tableStream) continue;
        const mapping = mappings.find(
          (m) =>
            JSON.stringify(prop(m, 'FunctionName')) === JSON.stringify({ Ref: logicalId(fnOf(spec.name).function) }),
        );
        expect(mapping, spec.name).toBeDefined();
        if (!mapping) continue;
        expect(mapping.Properties).toMatchObject({
          BatchSize: spec.tableStream.batchSize,
          StartingPosition: 'TRIM_HORIZON',
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
          MaximumRecordAgeInSeconds: DELIVERY.stream.maxRecordAgeS,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
        // Failed records leave the shard well before the stream's 24 h retention trims them.
        expect(DELIVERY.stream.maxRecordAgeS).toBeLessThanOrEqual(6 * 3600);
        // The local stream reader applies the same patterns (local/streams.ts).
        const filters = (prop(mapping, 'FilterCriteria') as { Filters?: { Pattern: string }[] } | undefined)?.Filters;
        expect(filters?.map((f) => JSON.parse(f.Pattern))).toEqual(spec.tableStream.filters);
        // The stream's ARN comes from the stateful stack's SSM parameter, not an export (it can change).
        expect(JSON.stringify(prop(mapping, 'EventSourceArn'))).toMatch(/SsmParameterValuemotcua\w*tablestreamarn/);
        const dlqId = Object.entries(resourcesOf(template, 'AWS::SQS::Queue')).find(
          ([, q]) => prop(q, 'QueueName') === dlqName(spec.name, STAGE),
        )?.[0];
        expect(prop(mapping, 'DestinationConfig')).toEqual({
          OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        });
      }
    });

    it('has no other mapping', () => {
      const expected = cloud.filter((f) => f.queue).length + cloud.filter((f) => f.tableStream).length;
      expect(mappings).toHaveLength(expected);
    });
  });

  describe('S3 notifications and schedules', () => {
    it('notifies each S3-fed queue of objects created under its prefix', () => {
      const fed = cloud.filter((f) => f.queue?.s3ObjectCreatedPrefix !== undefined);
      const notifications = Object.values(resourcesOf(template, 'Custom::S3BucketNotifications'));
      expect(notifications).toHaveLength(fed.length > 0 ? 1 : 0);
      for (const spec of fed) {
        const queueId = logicalId(fnOf(spec.name).consumerQueue?.queue ?? fnOf(spec.name));
        template.hasResourceProperties('Custom::S3BucketNotifications', {
          NotificationConfiguration: {
            QueueConfigurations: Match.arrayWith([
              {
                Events: ['s3:ObjectCreated:*'],
                Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: spec.queue?.s3ObjectCreatedPrefix }] } },
                QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
              },
            ]),
          },
        });
      }
    });

    it("invokes each scheduled function at its rate, in the stage's schedule group, never retrying into the next run", () => {
      const schedules = Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule'));
      const expected = cloud.flatMap((f) => (f.schedules ?? []).map((s) => ({ fn: f.name, ...s })));
      expect(schedules).toHaveLength(expected.length);
      for (const s of expected) {
        const schedule = schedules.find((x) => prop(x, 'Name') === s.name);
        expect(schedule, s.name).toBeDefined();
        if (!schedule) continue;
        expect(rateInMinutes(prop(schedule, 'ScheduleExpression'))).toBe(s.everyMinutes);
        expect(prop(schedule, 'GroupName')).toBe(`motcua-${STAGE}-schedules`);
        const target = prop<{ Arn: unknown; RetryPolicy: Record<string, number> }>(schedule, 'Target');
        expect(target.Arn).toEqual({ 'Fn::GetAtt': [logicalId(fnOf(s.fn).function), 'Arn'] });
        expect(target.RetryPolicy).toEqual({
          MaximumEventAgeInSeconds: scheduleRetry(s.everyMinutes).maxEventAgeS,
          MaximumRetryAttempts: scheduleRetry(s.everyMinutes).retryAttempts,
        });
        const { retryAttempts, maxEventAgeS } = target.RetryPolicy as Record<string, number>;
        if ((retryAttempts ?? 0) > 0) expect(maxEventAgeS).toBeLessThan(s.everyMinutes * 60);
      }
    });
  });

  it('alarms on the errors of every function', () => {
    for (const spec of cloud) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fnOf(spec.name).function) } }],
        Threshold: 0,
      });
    }
  });
});

describe('Manifest: wiring/manifest.ts', () => {
  it('declares at least one cloud function with routes, one queue consumer and the outbox relay', () => {
    const cloud = cloudFunctions();
    expect(cloud.some((f) => (f.routes ?? []).length > 0)).toBe(true);
    expect(cloud.some((f) => f.queue)).toBe(true);
    // The relay is the one publisher, and a stream reader.
    expect(cloud.filter((f) => f.access.eventBus).map((f) => Boolean(f.tableStream))).toEqual([true]);
  });

  it("keeps the table stream to two readers, AWS's limit per shard before reads are throttled", () => {
    const readers = cloudFunctions().filter((f) => f.tableStream);
    expect(readers.length).toBeGreaterThan(0);
    expect(readers.length).toBeLessThanOrEqual(2);
    // Every reader filters: the stream carries every write, most of which none of them needs.
    for (const f of readers) expect(f.tableStream?.filters?.length, f.name).toBeGreaterThan(0);
  });
});
