/**
 * Repeatable deploys: the stage is in every fixed name (two copies fit one account), nothing with a
 * fixed name is retained where that would block a redeploy, exports only carry values that never
 * change, and both templates stay inside CloudFormation's limits (tracked here, with headroom).
 */
import { describe, expect, it } from 'vitest';
import { cloudFunctions } from '#wiring/manifest.ts';
import { NO_BUNDLING, synth } from './helpers.ts';

/** CloudFormation's quotas: resources per stack, and the size of a template uploaded through S3. */
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_048_576;
/** Fail early, while there is still room to split a stack calmly. */
const HEADROOM = 0.8;

interface Json {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: unknown }>;
}

/** Properties that name a resource: fixed names the account (or region) must hold only once. */
const NAME_PROPS: Readonly<Record<string, string>> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Events::EventBus': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
};

const fixedNames = (t: Json): { type: string; id: string; name: string; retained: boolean }[] =>
  Object.entries(t.Resources).flatMap(([id, r]) => {
    const key = NAME_PROPS[r.Type];
    const v = key ? r.Properties?.[key] : undefined;
    return v === undefined
      ? []
      : [{ type: r.Type, id, name: JSON.stringify(v), retained: r.DeletionPolicy === 'Retain' }];
  });

describe('Repeatable deploys', () => {
  const staging = synth({ context: { ...NO_BUNDLING, 'motcua:stage': 'staging' } });
  const prod = synth();
  const templates = (b: typeof prod) => [b.statefulTemplate.toJSON() as Json, b.apiTemplate.toJSON() as Json];

  it('puts the stage in the stack names and in every fixed resource name', () => {
    expect(staging.stateful.stackName).toBe('motcua-staging-stateful');
    expect(staging.api.stackName).toBe('motcua-staging-api');
    const names = templates(staging).flatMap(fixedNames);
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(n.name, `${n.type} ${n.id}`).toContain('staging');
  });

  it('gives prod and staging no fixed name in common: both fit one account', () => {
    const of = (b: typeof prod) =>
      new Set(
        templates(b)
          .flatMap(fixedNames)
          .map((n) => n.name),
      );
    const p = of(prod);
    for (const n of of(staging)) expect(p.has(n), n).toBe(false);
  });

  it('retains nothing in the API stack under a fixed name (queues, schedule group), so a redeploy can recreate it', () => {
    for (const b of [prod, staging]) {
      const retained = fixedNames(b.apiTemplate.toJSON() as Json).filter((n) => n.retained);
      expect(retained).toEqual([]);
      const group = Object.values((b.apiTemplate.toJSON() as Json).Resources).find(
        (r) => r.Type === 'AWS::Scheduler::ScheduleGroup',
      );
      expect(group?.DeletionPolicy).not.toBe('Retain');
    }
  });

  it('retains under a fixed name in the stateful stack only the scans bucket (data; re-attach it with cdk import)', () => {
    const retained = fixedNames(prod.statefulTemplate.toJSON() as Json).filter((n) => n.retained);
    expect(retained.map((n) => n.type)).toEqual(['AWS::S3::Bucket']);
  });

  it('exports from the stateful stack only values that never change', () => {
    const exported = Object.values((prod.statefulTemplate.toJSON() as Json).Outputs ?? {})
      .filter((o) => o.Export !== undefined)
      .map((o) => JSON.stringify(o.Value));
    const allowed = [
      /^\{"Ref":"Table\w+"\}$/,
      /^\{"Fn::GetAtt":\["Table\w+","Arn"\]\}$/,
      /^\{"Ref":"EventBus\w+"\}$/,
      /^\{"Fn::GetAtt":\["EventBus\w+","Arn"\]\}$/,
      /^\{"Fn::GetAtt":\["ResultSigningKey\w+","Arn"\]\}$/,
      // The kiosk device-token key: a key's ARN is fixed for its life, like the signing key's.
      /^\{"Fn::GetAtt":\["IdentityDeviceTokenKey\w+","Arn"\]\}$/,
      /^\{"Ref":"GatewaySettings\w+"\}$/,
      /^\{"Ref":"IdentityUserPool[0-9A-F]+"\}$/,
    ];
    expect(exported.length).toBeGreaterThan(0);
    for (const e of exported)
      expect(
        allowed.some((a) => a.test(e)),
        e,
      ).toBe(true);
    // The app client (replaced when some of its settings change) and the stream ARN go through SSM.
    expect(exported.some((e) => e.includes('WebClient') || e.includes('StreamArn'))).toBe(false);
  });

  it.each([['wiring/manifest.ts', cloudFunctions()]] as const)(
    'keeps both templates of %s within CloudFormation limits, with headroom',
    (_label, all) => {
      const built = synth({ functions: all });
      for (const [stack, t] of [
        ['stateful', built.statefulTemplate.toJSON() as Json],
        ['api', built.apiTemplate.toJSON() as Json],
      ] as const) {
        const resources = Object.keys(t.Resources).length;
        const bytes = Buffer.byteLength(JSON.stringify(t));
        console.info(
          `${stack}: ${resources}/${MAX_RESOURCES} resources, ${bytes}/${MAX_TEMPLATE_BYTES} bytes (minified JSON)`,
        );
        expect(resources, `${stack} resources`).toBeLessThanOrEqual(MAX_RESOURCES * HEADROOM);
        expect(bytes, `${stack} template bytes`).toBeLessThanOrEqual(MAX_TEMPLATE_BYTES * HEADROOM);
      }
    },
  );
});
