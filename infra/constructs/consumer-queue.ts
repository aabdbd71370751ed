/**
 * The SQS queue of one consumer function (manifest `queue`): the queue and its dead-letter queue,
 * what feeds it (EventBridge rules with the manifest's patterns verbatim, S3 object-created
 * notifications under a prefix), the event source mapping with partial batch failures, and an
 * alarm on the dead-letter queue.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnRule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY, dlqName, eventsDlqName, queueName } from '#wiring/definitions.ts';
import type { QueueSpec } from '#wiring/manifest.ts';
import { acknowledge } from '../nag.ts';
import { ALARM_PERIOD, notifyingAlarm } from './alarms.ts';
import type { MotcuaFunction } from './motcua-function.ts';

/** How long a dead letter stays for an operator to inspect and redrive it. */
const DLQ_RETENTION = Duration.days(DELIVERY.deadLetter.retentionDays);

/** Properties of {@link ConsumerQueue}. */
interface ConsumerQueueProps {
  /** The consumer; its timeout bounds the queue's visibility timeout from below. */
  readonly consumer: MotcuaFunction;
  /** The manifest's queue block of the consumer. */
  readonly spec: QueueSpec;
  /** The bus the `rules` listen on. */
  readonly eventBus: IEventBus;
  /** The bucket whose object-created notifications feed the queue when `s3ObjectCreatedPrefix` is set. */
  readonly scansBucket: IBucket;
  /** Where the dead-letter alarm notifies. */
  readonly alarmTopic: ITopic;
  /** The deployment's stage, in the queues' names. */
  readonly stage: string;
}

/**
 * The age of a queue's oldest message that means its consumer is stuck or falling behind: every
 * receive of it used up (visibility timeout x receives) and then some, at least 15 minutes.
 */
export const oldestMessageAlarmS = (spec: QueueSpec): number =>
  Math.max(900, spec.visibilityTimeoutS * spec.maxReceiveCount + 300);

/**
 * An encrypted, TLS-only dead-letter queue kept 14 days, with an alarm on its first message.
 * Deleted with the stack (its fixed name must be free for a redeploy): drain it first.
 */
export function deadLetterQueue(scope: Construct, id: string, name: string, alarmTopic: ITopic): Queue {
  const dlq = new Queue(scope, id, {
    queueName: name,
    retentionPeriod: DLQ_RETENTION,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  notifyingAlarm(scope, `${id}Alarm`, alarmTopic, {
    description: `${name} holds messages that failed processing: inspect, fix, then redrive (npm run redrive)`,
    metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
  });
  return dlq;
}

/**
 * The S3 notification configuration is written at deploy time by CDK's singleton custom resource
 * `BucketNotificationsHandler<hash>` (one per stack); its role carries AWSLambdaBasicExecutionRole.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
  const role = handler?.node.tryFindChild('Role');
  if (role === undefined) throw new Error('expected the BucketNotificationsHandler role after addEventNotification');
  acknowledge(
    role,
    'AwsSolutions-IAM4',
    "CDK's own deploy-time handler that writes the scans bucket's notification configuration; the managed " +
      'policy only lets it write its logs (its function name, hence its log group, is generated), and it runs ' +
      'during deployments only.',
    'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  );
}

export class ConsumerQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** The rules on the bus, one per manifest `rules[]` entry, in order. */
  public readonly rules: readonly CfnRule[];
  /** Where EventBridge puts the events it could not deliver to the queue (when there are rules). */
  public readonly eventsDeadLetterQueue: Queue | undefined;

  constructor(scope: Construct, id: string, props: ConsumerQueueProps) {
    super(scope, id);
    const { consumer, spec } = props;
    const name = consumer.functionKey;
    const functionTimeoutS = consumer.timeout?.toSeconds() ?? 3;
    if (spec.visibilityTimeoutS < functionTimeoutS) {
      throw new Error(
        `${name}: visibilityTimeoutS ${spec.visibilityTimeoutS} is below the function timeout ${functionTimeoutS}; ` +
          'a message would reappear while still being processed',
      );
    }

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', dlqName(name, props.stage), props.alarmTopic);
    this.queue = new Queue(this, 'Queue', {
      queueName: queueName(name, props.stage),
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutS),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    notifyingAlarm(this, 'OldestMessageAlarm', props.alarmTopic, {
      description:
        `${queueName(name, props.stage)}: its oldest message waits too long; ${name} is failing, throttled ` +
        'or falling behind (see its Errors and Throttles alarms and its log group)',
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: oldestMessageAlarmS(spec),
    });

    const rules = spec.rules ?? [];
    const eventsDlq =
      rules.length > 0
        ? deadLetterQueue(this, 'EventsDeadLetterQueue', eventsDlqName(name, props.stage), props.alarmTopic)
        : undefined;
    if (eventsDlq) {
      acknowledge(
        eventsDlq,
        'AwsSolutions-SQS3',
        'This queue is itself the dead-letter queue of the EventBridge rule targets: it receives the events that ' +
          'could not be delivered to the consumer queue after the retry policy; nothing consumes it but redrive.',
      );
    }
    this.eventsDeadLetterQueue = eventsDlq;

    // CfnRule keeps the manifest's raw EventBridge JSON exactly as written (no camelCase mapping).
    this.rules = rules.map((r) => {
      const rule = new CfnRule(this, `Rule-${r.name}`, {
        name: r.name,
        description: `${r.name}: events for ${name}`,
        eventBusName: props.eventBus.eventBusName,
        eventPattern: r.pattern,
        state: 'ENABLED',
        targets: [
          {
            id: 'Queue',
            arn: this.queue.queueArn,
            retryPolicy: {
              maximumRetryAttempts: DELIVERY.ruleTarget.maximumRetryAttempts,
              maximumEventAgeInSeconds: DELIVERY.ruleTarget.maximumEventAgeS,
            },
            ...(eventsDlq ? { deadLetterConfig: { arn: eventsDlq.queueArn } } : {}),
          },
        ],
      });
      const fromRule = (queue: Queue) =>
        queue.addToResourcePolicy(
          new PolicyStatement({
            principals: [new ServicePrincipal('events.amazonaws.com')],
            actions: ['sqs:SendMessage'],
            resources: [queue.queueArn],
            conditions: { ArnEquals: { 'aws:SourceArn': rule.attrArn } },
          }),
        );
      fromRule(this.queue);
      if (eventsDlq) fromRule(eventsDlq);
      notifyingAlarm(this, `FailedInvocationsAlarm-${r.name}`, props.alarmTopic, {
        description:
          `rule ${r.name}: events failed delivery to ${queueName(name, props.stage)} after the retry policy; they ` +
          `are in ${eventsDlqName(name, props.stage)} (redrive them), or lost if that failed too (InvocationsFailedToBeSentToDlq)`,
        metric: new Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          // Rules on a custom bus report with both dimensions.
          dimensionsMap: { EventBusName: props.eventBus.eventBusName, RuleName: r.name },
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
      });
      return rule;
    });

    if (spec.s3ObjectCreatedPrefix !== undefined) {
      props.scansBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue), {
        prefix: spec.s3ObjectCreatedPrefix,
      });
      acknowledgeNotificationsHandler(Stack.of(this));
    }

    consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: spec.batchSize,
        ...(spec.maxBatchingWindowS ? { maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowS) } : {}),
        reportBatchItemFailures: true,
      }),
    );
  }
}
