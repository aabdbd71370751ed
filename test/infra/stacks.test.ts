/**
 * What the stacks promise beyond the manifest: the stateful resources as wiring/definitions.ts
 * describes them and retained, least-privilege bindings with their environment variables, the
 * API's stage, and the sign-in settings read from context.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV, GATEWAY_SETTINGS, TABLE } from '#wiring/definitions.ts';
import { type FunctionSpec, functions } from '#wiring/manifest.ts';
import { ALL_TRIGGERS, type CfnResourceJson, logicalId, prop, resourcesOf, synth } from './helpers.ts';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

describe('Stack: MotcuaStateful', () => {
  const { statefulTemplate: template } = synth();

  it('creates the table of wiring/definitions.ts: keys, three GSIs, TTL, NEW_IMAGE stream, on demand, PITR', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      })),
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('retains every resource that holds data', () => {
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::S3::Bucket',
      'AWS::SecretsManager::Secret',
      'AWS::KMS::Key',
      'AWS::Cognito::UserPool',
    ]) {
      for (const [id, r] of Object.entries(template.findResources(type))) {
        expect((r as { DeletionPolicy?: string }).DeletionPolicy, `${type} ${id}`).toBe('Retain');
      }
    }
  });

  it('keeps scans private, encrypted, TLS-only, versioned, logged, with the three lifecycle rules', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['motcua-scans-prod-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'scans/' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'quarantine/', ExpirationInDays: 30, Status: 'Enabled' }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        ],
      },
    });
    const policies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(JSON.stringify(prop(p, 'PolicyDocument'))).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('holds a gateway secret with every key of GATEWAY_SETTINGS and placeholder values only', () => {
    const [secret] = Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret'));
    const value = JSON.parse(prop<string>(secret ?? { Type: '' }, 'SecretString')) as Record<string, string>;
    expect(Object.keys(value).sort()).toEqual([...GATEWAY_SETTINGS].sort());
    for (const v of Object.values(value)) expect(v).toBe('REPLACE_ME');
  });

  it('creates an asymmetric P-256 key for signing and verifying results', () => {
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });

  it('requires TOTP MFA in the user pool, has no self sign-up and no VNeID unless configured', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: Match.anyValue() } },
    });
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      AllowedOAuthFlows: ['code'],
    });
  });

  it('never lets a user write their own role or ward', () => {
    const [client] = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
    const writable = prop<string[]>(client ?? { Type: '' }, 'WriteAttributes');
    expect(writable).not.toContain('custom:role');
    expect(writable).not.toContain('custom:ward');
  });
});

describe('Stack: MotcuaStateful with VNeID federated into the user pool', () => {
  const context = {
    'motcua:citizenSignIn': 'cognito-federation',
    'motcua:oidcIssuer': 'https://vneid.example.gov.vn',
    'motcua:oidcClientId': 'motcua-bimson',
    'motcua:oidcClientSecretName': 'motcua/vneid-client-secret',
    'motcua:authDomainPrefix': 'motcua-bimson',
  };

  it('adds VNeID as an OIDC provider whose secret is a deploy-time reference, and allows it on the client', () => {
    const { statefulTemplate: template } = synth({ context });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'VNeID',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        client_id: 'motcua-bimson',
        oidc_issuer: 'https://vneid.example.gov.vn',
        client_secret: '{{resolve:secretsmanager:motcua/vneid-client-secret:SecretString:::}}',
      }),
      AttributeMapping: { name: 'name', phone_number: 'phone_number', email: 'email' },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO', 'VNeID'],
    });
  });

  it("maps VNeID's identity number claim, when named, to custom:id_number and nothing else to role or ward", () => {
    const { statefulTemplate: template } = synth({
      context: { ...context, 'motcua:vneidIdNumberClaim': 'citizen_id' },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      AttributeMapping: {
        name: 'name',
        phone_number: 'phone_number',
        email: 'email',
        'custom:id_number': 'citizen_id',
      },
    });
    const [client] = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
    const writable = prop<string[]>(client ?? { Type: '' }, 'WriteAttributes');
    expect(writable).toContain('custom:id_number');
    expect(writable).not.toContain('custom:role');
    expect(writable).not.toContain('custom:group');
  });

  it('refuses an issuer without the name of the client secret', () => {
    expect(() => synth({ context: { ...context, 'motcua:oidcClientSecretName': '' } })).toThrow(
      /motcua:oidcClientSecretName/,
    );
  });

  it('requires the managed login domain prefix with VNeID, and adds the domain', () => {
    expect(() => synth({ context: { ...context, 'motcua:authDomainPrefix': '' } })).toThrow(
      /VNeID needs motcua:authDomainPrefix/,
    );
    synth({ context }).statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'motcua-bimson',
    });
  });

  it.each([
    'Motcua',
    '-motcua',
    'motcua-',
    'motcua_bimson',
    'my-aws-login',
    'amazon-ward',
    'cognito-x',
    'a'.repeat(64),
  ])('refuses the domain prefix %s at synth time (Cognito would refuse it at deploy time)', (prefix) => {
    expect(() => synth({ context: { 'motcua:authDomainPrefix': prefix } })).toThrow(/motcua:authDomainPrefix/);
  });
});

/** The environment of each manifest function of a synthesized API stack. */
const manifestEnvs = (built: ReturnType<typeof synth>): Record<string, unknown>[] =>
  [...built.api.functions.values()].map(
    (f) =>
      prop<{ Variables: Record<string, unknown> }>(
        resourcesOf(built.apiTemplate, 'AWS::Lambda::Function')[logicalId(f.function)] ?? { Type: '' },
        'Environment',
      ).Variables,
  );

describe('Stack: MotcuaApi with the portal pages configured', () => {
  const context = {
    'motcua:procedurePageUrl': 'https://dichvucong.example.gov.vn/thu-tuc/{procedureId}',
    'motcua:dossierPageUrl': 'https://dichvucong.example.gov.vn/tra-cuu?ma={code}',
  };

  it('gives the functions the page templates the QR codes open', () => {
    const envs = manifestEnvs(synth({ context }));
    expect(envs.length).toBe(functions.filter((f) => !f.localOnly).length);
    for (const env of envs) {
      expect(env[ENV.procedurePageUrl]).toBe(context['motcua:procedurePageUrl']);
      expect(env[ENV.dossierPageUrl]).toBe(context['motcua:dossierPageUrl']);
    }
  });

  it('refuses a template without its placeholder, or not an http(s) URL, at synth time', () => {
    expect(() =>
      synth({ context: { 'motcua:procedurePageUrl': 'https://dichvucong.example.gov.vn/thu-tuc' } }),
    ).toThrow(/motcua:procedurePageUrl must contain \{procedureId\}/);
    expect(() => synth({ context: { 'motcua:dossierPageUrl': 'ftp://example/{code}' } })).toThrow(
      /motcua:dossierPageUrl must be an http\(s\) URL/,
    );
  });

  it('leaves them out when they are not set', () => {
    const envs = manifestEnvs(synth());
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) {
      expect(ENV.procedurePageUrl in env).toBe(false);
      expect(ENV.dossierPageUrl in env).toBe(false);
    }
  });
});

const CASES: readonly { label: string; all: readonly FunctionSpec[] }[] = [
  { label: 'wiring/manifest.ts', all: functions },
  { label: 'the every-trigger fixture', all: ALL_TRIGGERS },
];

describe.each(CASES)('Stack: MotcuaApi built from $label', ({ all }) => {
  const built = synth({ functions: all });
  const template = built.apiTemplate;
  const specs = all.filter((f) => !f.localOnly);
  const lambdas = resourcesOf(template, 'AWS::Lambda::Function');
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'));
  const roles = resourcesOf(template, 'AWS::IAM::Role');

  const construct = (name: string) => {
    const f = built.api.functions.get(name);
    if (!f) throw new Error(`no construct for ${name}`);
    return f.function;
  };
  const envOf = (name: string): Record<string, unknown> =>
    prop<{ Variables: Record<string, unknown> }>(lambdas[logicalId(construct(name))] ?? { Type: '' }, 'Environment')
      .Variables;
  const statementsOf = (name: string): Statement[] => {
    const roleId = logicalId(construct(name).executionRole);
    return policies
      .filter((p) => JSON.stringify(prop(p, 'Roles')) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => prop<{ Statement: Statement[] }>(p, 'PolicyDocument').Statement);
  };
  const actionsOf = (name: string): string[] =>
    statementsOf(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

  it('sets exactly the environment variables of the access each entry declares', () => {
    for (const spec of specs) {
      const env = envOf(spec.name);
      const a = spec.access;
      expect(ENV.table in env, `${spec.name} ${ENV.table}`).toBe(a.table !== undefined);
      expect(ENV.bucket in env, `${spec.name} ${ENV.bucket}`).toBe(a.bucket !== undefined);
      expect(ENV.gatewaySecretArn in env, `${spec.name} ${ENV.gatewaySecretArn}`).toBe(a.gatewaySecret === true);
      expect(ENV.signingKeyId in env, `${spec.name} ${ENV.signingKeyId}`).toBe(a.signingKey !== undefined);
      expect(ENV.bus in env, `${spec.name} ${ENV.bus}`).toBe(a.eventBus === true);
      expect(ENV.fontDir in env, `${spec.name} ${ENV.fontDir}`).toBe(spec.assets === 'fonts');
      expect(ENV.assetDir in env, `${spec.name} ${ENV.assetDir}`).toBe(spec.assets === 'swagger-ui');
      expect(env[ENV.publicBaseUrl], spec.name).toBeDefined();
      expect(ENV.local in env, spec.name).toBe(false);
    }
  });

  it('points the asset variables at the folders the bundler copies into', () => {
    const forms = specs.find((f) => f.assets === 'fonts');
    const docs = specs.find((f) => f.assets === 'swagger-ui');
    if (forms) expect(envOf(forms.name)[ENV.fontDir]).toBe('/var/task/fonts');
    if (docs) expect(envOf(docs.name)[ENV.assetDir]).toBe('/var/task/swagger-ui');
  });

  it('grants table writes only to readwrite entries, and never a wildcard action', () => {
    for (const spec of specs) {
      const actions = actionsOf(spec.name);
      for (const action of actions) expect(action, spec.name).not.toContain('*');
      expect(actions.includes('dynamodb:PutItem'), spec.name).toBe(
        spec.access.table === 'readwrite' || spec.access.table === 'put',
      );
      expect(actions.includes('dynamodb:Query'), spec.name).toBe(
        spec.access.table !== undefined && spec.access.table !== 'put',
      );
      expect(actions.includes('s3:PutObject'), spec.name).toBe(spec.access.bucket === 'readwrite');
      expect(actions.includes('s3:GetObject'), spec.name).toBe(spec.access.bucket !== undefined);
      expect(actions.includes('secretsmanager:GetSecretValue'), spec.name).toBe(spec.access.gatewaySecret === true);
      expect(actions.includes('kms:Sign'), spec.name).toBe(
        spec.access.signingKey === 'sign' || spec.access.deviceTokenKey === true,
      );
      expect(actions.includes('kms:Verify'), spec.name).toBe(spec.access.signingKey === 'verify');
      expect(actions.includes('events:PutEvents'), spec.name).toBe(spec.access.eventBus === true);
    }
  });

  it('names the table indexes one by one instead of index/*', () => {
    for (const spec of specs.filter((f) => f.access.table)) {
      const resources = JSON.stringify(statementsOf(spec.name).map((s) => s.Resource));
      expect(resources, spec.name).not.toContain('/index/*');
      for (const i of TABLE.indexes) expect(resources, spec.name).toContain(`/index/${i.name}`);
    }
  });

  it('gives every function its own role without managed policies, writing to its own log group', () => {
    for (const spec of specs) {
      const fn = lambdas[logicalId(construct(spec.name))] as CfnResourceJson;
      const roleId = logicalId(construct(spec.name).executionRole);
      expect(prop(fn, 'Role'), spec.name).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
      expect(prop(roles[roleId] ?? { Type: '' }, 'ManagedPolicyArns'), spec.name).toBeUndefined();
      const logGroup = prop<{ LogGroup: { Ref: string } }>(fn, 'LoggingConfig').LogGroup;
      const group = resourcesOf(template, 'AWS::Logs::LogGroup')[logGroup.Ref];
      expect(group, spec.name).toBeDefined();
      expect(prop(group ?? { Type: '' }, 'RetentionInDays'), spec.name).toBe(90);
      const grant = statementsOf(spec.name).find((s) => JSON.stringify(s.Action).includes('logs:PutLogEvents'));
      expect(grant?.Resource, spec.name).toEqual({ 'Fn::GetAtt': [logGroup.Ref, 'Arn'] });
    }
  });

  it('serves one $default stage with access logs and throttling', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
    });
  });

  it('sends every alarm to the SSL-only alarm topic', () => {
    const topics = Object.keys(resourcesOf(template, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    for (const [id, alarm] of Object.entries(resourcesOf(template, 'AWS::CloudWatch::Alarm'))) {
      expect(prop(alarm, 'AlarmActions'), id).toEqual([{ Ref: topics[0] }]);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});
