/**
 * Alarms that reach operators: every alarm of the app is made here, with the alarm topic as its
 * action, and the topic lets CloudWatch (of this account, for this account's alarms) publish.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** What one alarm watches. */
interface AlarmSpec {
  readonly metric: IMetric;
  /** What it means and what to do: the first lines of the e-mail an operator gets. */
  readonly description: string;
  /** Alarm when the value is above this. @default 0 (any occurrence) */
  readonly threshold?: number;
  /** Consecutive periods above the threshold. @default 1 */
  readonly evaluationPeriods?: number;
}

/** An alarm that notifies `topic` when it fires; a missing data point is not a breach. */
export function notifyingAlarm(scope: Construct, id: string, topic: ITopic, spec: AlarmSpec): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: spec.description,
    metric: spec.metric,
    threshold: spec.threshold ?? 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: spec.evaluationPeriods ?? 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}

/** The usual period of the alarms' metrics. */
export const ALARM_PERIOD = Duration.minutes(5);

/**
 * Lets CloudWatch alarms publish to the topic. The topic's SSL-only deny does not stop them
 * (CloudWatch publishes over TLS), but without an allow for the service principal nothing is
 * published at all. The conditions keep other accounts' alarms (confused deputy) out.
 */
export function allowCloudWatchAlarms(topic: Topic): void {
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
      },
    }),
  );
}
