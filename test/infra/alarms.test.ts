/**
 * Alarms that reach operators: the topic lets CloudWatch (this account's alarms only) publish,
 * beside its SSL-only deny; a subscriber is required outside the development stages; every alarm
 * notifies the topic; and the alarms cover what can fail quietly (the sign-in trigger, the
 * relay's lag, stuck consumers, rules' failed deliveries, schedules, throttles).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { oldestMessageAlarmS } from '#infra/constructs/consumer-queue.ts';
import { ITERATOR_AGE_ALARM_MS } from '#infra/constructs/manifest-function.ts';
import { cloudFunctions } from '#wiring/manifest.ts';
import { ALL_TRIGGERS, logicalId, NO_BUNDLING, prop, resourcesOf, synth, TEST_ALARM_EMAIL } from './helpers.ts';

const CASES = [
  { label: 'wiring/manifest.ts', all: cloudFunctions() },
  { label: 'the every-trigger fixture', all: ALL_TRIGGERS.filter((f) => !f.localOnly) },
] as const;

describe.each(CASES)('Alarms of the app built from $label', ({ all }) => {
  const built = synth({ functions: all });
  const { apiTemplate: template, api } = built;
  const topicId = logicalId(api.alarmTopic);
  const alarms = Object.entries(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
  const alarmsOf = (metric: string) => alarms.filter(([, a]) => prop(a, 'MetricName') === metric);

  it('lets CloudWatch alarms of this account publish to the topic, beside the SSL-only deny', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':cloudwatch:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':alarm:*',
                    ],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('subscribes the configured address to the topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: TEST_ALARM_EMAIL,
      TopicArn: { Ref: topicId },
    });
  });

  it('sends every alarm of both stacks to the topic, and only there', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const [id, a] of alarms) expect(prop(a, 'AlarmActions'), id).toEqual([{ Ref: topicId }]);
    // The stateful stack has no alarm of its own (its trigger's alarms live here, see below).
    expect(Object.keys(resourcesOf(built.statefulTemplate, 'AWS::CloudWatch::Alarm'))).toEqual([]);
  });

  it("alarms on the token-claims trigger's errors and throttles, by its stage-fixed name", () => {
    for (const metric of ['Errors', 'Throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: 'motcua-prod-token-claims' }],
      });
    }
    built.statefulTemplate.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'motcua-prod-token-claims' });
  });

  it('alarms on the errors and throttles of every function', () => {
    for (const spec of all) {
      const ref = { Ref: logicalId(api.functions.get(spec.name)?.function ?? api) };
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOf(metric).filter(
          ([, a]) => JSON.stringify(prop(a, 'Dimensions')) === JSON.stringify([{ Name: 'FunctionName', Value: ref }]),
        );
        expect(found, `${metric} of ${spec.name}`).toHaveLength(1);
      }
    }
  });

  it("alarms on each table stream reader's iterator age (the relay, the statistics)", () => {
    for (const spec of all.filter((f) => f.tableStream)) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Statistic: 'Maximum',
        Threshold: ITERATOR_AGE_ALARM_MS,
        Dimensions: [
          { Name: 'FunctionName', Value: { Ref: logicalId(api.functions.get(spec.name)?.function ?? api) } },
        ],
      });
    }
  });

  it("alarms on the age of each consumer queue's oldest message", () => {
    for (const spec of all) {
      if (!spec.queue) continue;
      const queue = api.functions.get(spec.name)?.consumerQueue?.queue;
      expect(queue, spec.name).toBeDefined();
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: oldestMessageAlarmS(spec.queue),
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue ?? api), 'QueueName'] } }],
      });
    }
  });

  it("alarms on each rule's failed invocations, with the custom bus's dimensions", () => {
    const rules = all.flatMap((f) => f.queue?.rules ?? []);
    expect(alarmsOf('FailedInvocations')).toHaveLength(rules.length);
    for (const r of rules) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: [Match.objectLike({ Name: 'EventBusName' }), { Name: 'RuleName', Value: r.name }],
      });
    }
  });

  it("alarms on the schedules' target errors and dropped runs", () => {
    const scheduled = all.some((f) => (f.schedules ?? []).length > 0);
    for (const metric of ['TargetErrorCount', 'InvocationDroppedCount']) {
      expect(alarmsOf(metric), metric).toHaveLength(scheduled ? 1 : 0);
      if (scheduled) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Scheduler',
          MetricName: metric,
          Dimensions: [{ Name: 'ScheduleGroup', Value: Match.anyValue() }],
        });
      }
    }
  });
});

describe('Alarm subscriber rule', () => {
  const withoutEmail = { ...NO_BUNDLING, 'motcua:alarmEmail': '' };

  it('fails synthesis of prod (the default stage) and staging without motcua:alarmEmail, saying so', () => {
    expect(() => synth({ context: withoutEmail })).toThrow(/stage prod needs motcua:alarmEmail/);
    expect(() => synth({ context: { ...withoutEmail, 'motcua:stage': 'staging' } })).toThrow(
      /stage staging needs motcua:alarmEmail/,
    );
  });

  it('lets the dev stage synthesize without a subscriber', () => {
    const { apiTemplate } = synth({ context: { ...withoutEmail, 'motcua:stage': 'dev' } });
    apiTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('refuses an address that is not one e-mail address', () => {
    expect(() => synth({ context: { 'motcua:alarmEmail': 'ops@example.org,boss@example.org' } })).toThrow(
      /motcua:alarmEmail must be one e-mail address/,
    );
  });
});
