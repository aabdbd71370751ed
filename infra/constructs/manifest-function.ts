/**
 * One manifest entry, turned into everything it declares: the function with exactly its access,
 * its HTTP routes, its queue (with rules or S3 notifications), its table stream mapping, its
 * schedules, and an alarm on its errors. ApiStack creates one of these per cloud function.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import {
  type HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  type IScheduleGroup,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DELIVERY, dlqName, scheduledEventOf, scheduleRetry } from '#wiring/definitions.ts';
import type { FunctionSpec, RouteSpec } from '#wiring/manifest.ts';
import type { ChannelsConfig } from '../config.ts';
import { acknowledge } from '../nag.ts';
import { ALARM_PERIOD, notifyingAlarm } from './alarms.ts';
import { ConsumerQueue, deadLetterQueue } from './consumer-queue.ts';
import { InvokeFunctionTarget } from './invoke-function-target.ts';
import { MotcuaFunction } from './motcua-function.ts';

/** The stateful resources a function may be bound to (from StatefulStack, or imported). */
export interface StatefulResources {
  /** The single table (access `table`). */
  readonly table: ITable;
  /** The scans bucket (access `bucket`, `s3ObjectCreatedPrefix`); imported by name in the API stack. */
  readonly scansBucket: IBucket;
  /** The domain event bus (`rules`, and PutEvents for the table stream consumer). */
  readonly eventBus: IEventBus;
  /** The payment gateway settings (access `gatewaySecret`). */
  readonly gatewaySecret: ISecret;
  /** The result-signing key (access `signingKey`). */
  readonly signingKey: IKey;
  /** The key that signs kiosk device tokens (access `deviceTokenKey`). */
  readonly deviceTokenKey: IKey;
}

/** Properties of {@link ManifestFunction}. */
interface ManifestFunctionProps {
  /** The manifest entry (must not be `localOnly`). */
  readonly spec: FunctionSpec;
  /** What the entry's `access` block may be bound to. */
  readonly resources: StatefulResources;
  /** The HTTP API the entry's routes are added to. */
  readonly httpApi: HttpApi;
  /** The JWT authorizer of every route whose roles are not `'public'` (the user pool's). */
  readonly authorizer: IHttpRouteAuthorizer;
  /** The authorizer of the routes only kiosk devices call (roles exactly `['kiosk']`): device tokens. */
  readonly deviceAuthorizer?: IHttpRouteAuthorizer | undefined;
  /** Where the function's and its dead-letter queues' alarms notify. */
  readonly alarmTopic: ITopic;
  /** Environment every function gets (PUBLIC_BASE_URL). */
  readonly environment: Readonly<Record<string, string>>;
  /** Font files for `assets: 'fonts'`, relative to the font package. */
  readonly fontFiles?: readonly string[] | undefined;
  /** The group of the entry's schedules (required when it has any). */
  readonly scheduleGroup?: IScheduleGroup | undefined;
  /** The deployment's stage, in the fixed names (queues). */
  readonly stage: string;
  /** The citizens' notification channels configured (for `access.notificationChannels`). */
  readonly channels?: ChannelsConfig | undefined;
}

/** A stream reader's iterator age (ms) that means it is behind: events (the relay) or indicators (the statistics) come late. */
export const ITERATOR_AGE_ALARM_MS = 5 * 60_000;

/**
 * The payload a schedule sends: the `ScheduledEvent` shape the local runtime also sends
 * (local/runtime.ts), filled with the scheduler's context; `resources[0]` ends in `/<schedule name>`.
 */
const scheduledEvent = (): ScheduleTargetInput =>
  ScheduleTargetInput.fromObject(
    scheduledEventOf({
      id: ContextAttribute.executionId,
      account: Aws.ACCOUNT_ID,
      time: ContextAttribute.scheduledTime,
      region: Aws.REGION,
      resource: ContextAttribute.scheduleArn,
    }),
  );

/** Retries of a failed stream batch (halved each time by bisection) before it goes to the DLQ. */
export const STREAM_RETRY_ATTEMPTS = DELIVERY.stream.retryAttempts;

const METHODS: Readonly<Record<RouteSpec['method'], HttpMethod>> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  DELETE: HttpMethod.DELETE,
};

/** A route only kiosk devices call: it takes device tokens (infra/constructs/identity.ts), not the pool's. */
export const kioskOnly = (r: RouteSpec): boolean =>
  r.roles !== 'public' && r.roles.length === 1 && r.roles[0] === 'kiosk';

/** `GET /v1/procedures/{procedureId}` -> `GET-v1-procedures-procedureId` (a construct id). */
const routeId = (r: RouteSpec): string => `${r.method}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '-')}`;

export class ManifestFunction extends Construct {
  public readonly function: MotcuaFunction;
  public readonly routes: readonly HttpRoute[];
  public readonly consumerQueue?: ConsumerQueue;

  constructor(scope: Construct, id: string, props: ManifestFunctionProps) {
    super(scope, id);
    const { spec, resources } = props;
    if (spec.localOnly) throw new Error(`${spec.name} is local only and has no cloud resources`);

    const fn = new MotcuaFunction(this, 'Function', {
      spec,
      fontFiles: props.fontFiles,
      environment: props.environment,
    });
    this.function = fn;

    const { access } = spec;
    if (access.table) fn.bindTable(resources.table, access.table, access.tableActions);
    if (access.bucket) fn.bindBucket(resources.scansBucket, access.bucket);
    if (access.gatewaySecret) fn.bindGatewaySecret(resources.gatewaySecret);
    if (access.signingKey) fn.bindSigningKey(resources.signingKey, access.signingKey);
    if (access.deviceTokenKey) fn.bindDeviceTokenKey(resources.deviceTokenKey);
    if (access.notificationChannels && props.channels) fn.bindNotificationChannels(props.channels);
    // The relay is the only publisher: handlers write outbox items, never events (DESIGN.md §3).
    if (access.eventBus) fn.bindEventBus(resources.eventBus);

    this.routes = this.addRoutes(spec, fn, props);

    if (spec.queue) {
      this.consumerQueue = new ConsumerQueue(this, 'Consumer', {
        consumer: fn,
        spec: spec.queue,
        eventBus: resources.eventBus,
        scansBucket: resources.scansBucket,
        alarmTopic: props.alarmTopic,
        stage: props.stage,
      });
    }

    if (spec.tableStream) this.addTableStream(fn, spec.tableStream, resources.table, props);

    for (const s of spec.schedules ?? []) {
      if (!props.scheduleGroup) throw new Error(`${spec.name} has schedules but no schedule group was given`);
      const retry = scheduleRetry(s.everyMinutes);
      new Schedule(this, `Schedule-${s.name}`, {
        scheduleGroup: props.scheduleGroup,
        scheduleName: s.name,
        description: `${s.name}: invokes ${spec.name} every ${s.everyMinutes} min`,
        schedule: ScheduleExpression.rate(Duration.minutes(s.everyMinutes)),
        target: new InvokeFunctionTarget(fn, {
          input: scheduledEvent(),
          // A late run is worthless and must not overlap the next one: retries stop within the interval.
          maxEventAge: Duration.seconds(retry.maxEventAgeS),
          retryAttempts: retry.retryAttempts,
        }),
      });
    }

    functionAlarms(this, fn.functionName, spec.name, props.alarmTopic);
  }

  private addRoutes(spec: FunctionSpec, fn: MotcuaFunction, props: ManifestFunctionProps): HttpRoute[] {
    const routes = spec.routes ?? [];
    if (routes.length === 0) return [];
    const integration = new HttpLambdaIntegration(`${spec.name}-integration`, fn);
    return routes.map((r) => {
      const isPublic = r.roles === 'public';
      const route = new HttpRoute(this, routeId(r), {
        httpApi: props.httpApi,
        routeKey: HttpRouteKey.with(r.path, METHODS[r.method]),
        integration,
        authorizer: isPublic
          ? new HttpNoneAuthorizer()
          : kioskOnly(r) && props.deviceAuthorizer
            ? props.deviceAuthorizer
            : props.authorizer,
      });
      if (isPublic) {
        acknowledge(
          route,
          'AwsSolutions-APIG4',
          `${r.method} ${r.path} is public in wiring/manifest.ts (DESIGN.md §6): its callers (citizens ` +
            'without an account, kiosks, status boards, payment gateways that sign their callbacks) carry no token; ' +
            'stage throttling bounds abuse and the handler validates every input.',
        );
      }
      return route;
    });
  }

  private addTableStream(
    fn: MotcuaFunction,
    stream: NonNullable<FunctionSpec['tableStream']>,
    table: ITable,
    props: ManifestFunctionProps,
  ): void {
    const dlq = deadLetterQueue(this, 'StreamFailures', dlqName(fn.functionKey, props.stage), props.alarmTopic);
    acknowledge(
      dlq,
      'AwsSolutions-SQS3',
      'This queue is itself the on-failure destination of the table stream mapping: it receives the shard and ' +
        'sequence numbers of batches that exhausted their retries, for an operator to replay (npm run redrive).',
    );
    fn.addEventSource(
      new DynamoEventSource(table, {
        // The outbox must not skip an item written before the mapping existed (first deploy, re-creation).
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: stream.batchSize,
        ...(stream.filters ? { filters: stream.filters.map((p) => FilterCriteria.filter({ ...p })) } : {}),
        bisectBatchOnError: DELIVERY.stream.bisectBatchOnError,
        retryAttempts: DELIVERY.stream.retryAttempts,
        // Well inside the stream's 24 h: the records are still there when an operator replays them.
        maxRecordAge: Duration.seconds(DELIVERY.stream.maxRecordAgeS),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(dlq),
      }),
    );
    notifyingAlarm(this, 'IteratorAgeAlarm', props.alarmTopic, {
      description:
        `${fn.functionKey}: the table stream's oldest unprocessed record is over ` +
        `${ITERATOR_AGE_ALARM_MS / 60_000} min old; what it feeds comes late (failing batches retried, or throttled)`,
      metric: fn.metric('IteratorAge', { period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: ITERATOR_AGE_ALARM_MS,
    });
    const policy = fn.executionRole.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error('expected the role default policy after the stream grant');
    acknowledge(
      policy,
      'AwsSolutions-IAM5',
      'dynamodb:ListStreams, which the stream event source mapping needs, does not support resource-level ' +
        'permissions; the other stream actions are limited to this table stream.',
      'Resource::*',
    );
  }
}

/**
 * The alarms every function has: errors (uncaught errors, timeouts, out of memory) and throttles
 * (the account's concurrency is spent: requests get 429s, consumers fall behind).
 */
export function functionAlarms(scope: Construct, functionName: string, label: string, topic: ITopic): void {
  const metric = (metricName: string) =>
    new Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { FunctionName: functionName },
      period: ALARM_PERIOD,
      statistic: 'Sum',
    });
  notifyingAlarm(scope, 'ErrorsAlarm', topic, {
    description: `${label}: invocations failed (uncaught errors, timeouts, out of memory)`,
    metric: metric('Errors'),
  });
  notifyingAlarm(scope, 'ThrottlesAlarm', topic, {
    description: `${label}: invocations were throttled (account concurrency spent): API callers got 429s or events wait`,
    metric: metric('Throttles'),
  });
}
