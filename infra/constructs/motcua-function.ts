/**
 * The one Lambda shape of this project: a `NodejsFunction` with our defaults (arm64, Node.js 22,
 * ESM bundle with the SDK inside, its own log group, its own role) and `bind*` methods that grant
 * exactly one kind of access and set the matching environment variable in one call.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ENV, TABLE } from '#wiring/definitions.ts';
import type { FunctionSpec } from '#wiring/manifest.ts';
import {
  ASSET_DIRS,
  copyCommands,
  fontPackageDir,
  globFontFiles,
  openApiCommand,
  PROJECT_ROOT,
  SWAGGER_UI_FILES,
  swaggerUiDir,
} from '../assets.ts';
import { lambdaExternals } from '../bundling.ts';
import { type ChannelsConfig, LAMBDA_TASK_ROOT } from '../config.ts';
import { acknowledge, nagResourceName } from '../nag.ts';

/** Properties of a {@link MotcuaFunction}. */
interface MotcuaFunctionProps {
  /** The manifest entry: name (entry `functions/<name>.ts`), description, memory, timeout, assets. */
  readonly spec: FunctionSpec;
  /**
   * The handler module, for a function that is not a manifest entry (e.g. a Cognito trigger).
   * @default `<projectRoot>/functions/<spec.name>.ts`
   */
  readonly entry?: string;
  /**
   * Folder holding package.json, package-lock.json and functions/.
   * @default the repository this file belongs to
   */
  readonly projectRoot?: string;
  /**
   * Retention of the function's own log group.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * X-Ray tracing. Off by default: the handlers carry no tracer (middy + Powertools logger with
   * correlation ids is the instrumentation), HTTP APIs do not propagate X-Ray, and active tracing
   * would add a `xray:*` on `*` statement to every role for service segments only.
   * @default Tracing.DISABLED
   */
  readonly tracing?: Tracing;
  /**
   * Font files, relative to the `@expo-google-fonts/be-vietnam-pro` folder, copied to
   * `fonts/` in the package when `spec.assets` is `'fonts'`.
   * @default the 400Regular and 700Bold TTFs of that package
   */
  readonly fontFiles?: readonly string[] | undefined;
  /** Further environment variables (e.g. PUBLIC_BASE_URL). */
  readonly environment?: Readonly<Record<string, string>>;
  /** A fixed function name, for a function another stack refers to by name. @default generated */
  readonly functionName?: string;
}

/** Access modes of the manifest's `access` block. */
type DataAccess = 'read' | 'readwrite';
type TableAccess = DataAccess | 'put';

/**
 * What `read` and `readwrite` grant (`put`: PutItem alone): what every reader / writer of this code base calls. Anything
 * else (ConditionCheckItem in transactions, DeleteItem, Scan, BatchWriteItem) only when the entry's
 * `access.tableActions` names it; test/infra/least-privilege.test.ts checks grants against the code.
 */
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const OBJECT_READ = ['s3:GetObject'];
const OBJECT_WRITE = ['s3:PutObject', 's3:DeleteObject'];

/** Lets a bundled ESM module `require()` Node built-ins from CommonJS dependencies. */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __motcuaCreateRequire } from 'node:module'; const require = __motcuaCreateRequire(import.meta.url);";

export class MotcuaFunction extends NodejsFunction {
  /** The manifest name of this function. */
  public readonly functionKey: string;
  /** The function's own execution role (no managed policies). */
  public readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: MotcuaFunctionProps) {
    const { spec } = props;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    const entry = props.entry ?? join(projectRoot, 'functions', `${spec.name}.ts`);
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    });
    // Its own role: the write grant on its own log group replaces AWSLambdaBasicExecutionRole (logs on *).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `motcua ${spec.name}: execution role`,
    });
    const assetEnv: Record<string, string> = {};
    if (spec.assets === 'fonts') assetEnv[ENV.fontDir] = `${LAMBDA_TASK_ROOT}/${ASSET_DIRS.fonts}`;
    if (spec.assets === 'swagger-ui') assetEnv[ENV.assetDir] = `${LAMBDA_TASK_ROOT}/${ASSET_DIRS.swaggerUi}`;

    const bundlingSkipped = !Stack.of(scope).bundlingRequired;
    const missingEntry = !existsSync(entry);
    if (missingEntry && !bundlingSkipped) {
      throw new Error(`function '${spec.name}': its handler module ${entry} does not exist`);
    }
    const fontFiles = props.fontFiles ?? (spec.assets === 'fonts' ? globFontFiles() : []);

    super(scope, id, {
      description: spec.description,
      ...(props.functionName ? { functionName: props.functionName } : {}),
      // Only when bundling is skipped (tests, `cdk ls`): a stand-in for a handler not written yet.
      ...(missingEntry ? { code: Code.fromInline(`// ${entry} is not written yet`) } : { entry }),
      handler: missingEntry ? 'index.handler' : 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutS),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: props.tracing ?? Tracing.DISABLED,
      environment: {
        // No --enable-source-maps by default: it slows every cold start (5-30 %, 2x for forms). The
        // .map files are deployed; set NODE_OPTIONS=--enable-source-maps to read traces.
        POWERTOOLS_SERVICE_NAME: `motcua-${spec.name}`,
        ...assetEnv,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        banner: ESM_REQUIRE_SHIM,
        // The AWS SDK v3 is bundled (pinned, tree-shaken) but for the fallback credential providers
        // and, outside S3, the event-stream codec that no operation of ours reaches (infra/bundling.ts).
        externalModules: [...lambdaExternals(spec)],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string): string[] => {
            if (spec.assets === 'fonts') return copyCommands(fontPackageDir(), fontFiles, outputDir, ASSET_DIRS.fonts);
            if (spec.assets === 'swagger-ui') {
              return [
                ...copyCommands(swaggerUiDir(), SWAGGER_UI_FILES, outputDir, ASSET_DIRS.swaggerUi),
                openApiCommand(outputDir, ASSET_DIRS.swaggerUi),
              ];
            }
            return [];
          },
        },
      },
    });
    if (missingEntry) {
      Annotations.of(this).addInfo(`${entry} does not exist yet: bundling skipped, stand-in code`);
    }
    this.functionKey = spec.name;
    this.executionRole = role;
    logGroup.grantWrite(role);
    const cfnFunction = this.node.defaultChild;
    if (cfnFunction === undefined) throw new Error('NodejsFunction without a CfnFunction');
    acknowledge(
      cfnFunction,
      'AwsSolutions-L1',
      'Pinned to nodejs22.x (supported until 2027-04-30) to match the esbuild target node22 and the Node versions ' +
        'the handlers are tested on (20, 22); moving to nodejs24.x is a change of this construct once they run on 24.',
    );
  }

  /** Grants the table (and its indexes) for `mode`, plus `extra` actions, and sets `TABLE_NAME`. */
  public bindTable(table: ITable, mode: TableAccess, extra: readonly string[] = []): this {
    const indexArns = TABLE.indexes.map((i) => `${table.tableArn}/index/${i.name}`);
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          ...(mode === 'read' ? TABLE_READ : mode === 'put' ? ['dynamodb:PutItem'] : [...TABLE_READ, ...TABLE_WRITE]),
          ...extra.map((a) => `dynamodb:${a}`),
        ],
        resources: [table.tableArn, ...indexArns],
      }),
    );
    this.addEnvironment(ENV.table, table.tableName);
    return this;
  }

  /**
   * Grants the bucket's objects for `mode` (plus ListBucket, so a missing key reads as 404, not
   * 403) and sets `BUCKET_NAME`. The bucket must belong to this function's stack or be imported
   * into it by name (its ARN then names no other stack's export).
   */
  public bindBucket(bucket: IBucket, mode: DataAccess): this {
    const objects = bucket.arnForObjects('*');
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: mode === 'read' ? OBJECT_READ : [...OBJECT_READ, ...OBJECT_WRITE],
        resources: [objects],
      }),
    );
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    const policy = this.executionRole.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error('expected the role default policy after a grant');
    acknowledge(
      policy,
      'AwsSolutions-IAM5',
      'Scans are stored under per-dossier keys created at run time (dossiers/<id>/<component>/...); ' +
        'object-level actions cannot name them in advance, so they apply to the scans bucket objects only.',
      `Resource::${nagResourceName(this, objects)}`,
    );
    this.addEnvironment(ENV.bucket, bucket.bucketName);
    return this;
  }

  /** Grants `events:PutEvents` on the bus and sets `EVENT_BUS_NAME`. */
  public bindEventBus(bus: IEventBus): this {
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
    );
    this.addEnvironment(ENV.bus, bus.eventBusName);
    return this;
  }

  /**
   * Grants exactly the configured channels (SendTextMessage from the one origination identity,
   * SendEmail as the one SES identity, the Zalo token secret's value) and sets their variables.
   */
  public bindNotificationChannels(channels: ChannelsConfig): this {
    const stack = Stack.of(this);
    if (channels.smsOriginationIdentity) {
      this.executionRole.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [channels.smsOriginationIdentity] }),
      );
      this.addEnvironment(ENV.smsOriginationIdentity, channels.smsOriginationIdentity);
    }
    if (channels.email) {
      this.executionRole.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: channels.email.identity })],
        }),
      );
      this.addEnvironment(ENV.emailFromAddress, channels.email.from);
    }
    if (channels.zalo) {
      this.executionRole.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [channels.zalo.tokenSecretArn] }),
      );
      this.addEnvironment(ENV.zaloTokenSecretArn, channels.zalo.tokenSecretArn);
      this.addEnvironment(ENV.zaloTemplates, channels.zalo.templates);
    }
    return this;
  }

  /** Grants reading the gateway settings secret (its value only) and sets `GATEWAY_SECRET_ARN`. */
  public bindGatewaySecret(secret: ISecret): this {
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secretArn],
      }),
    );
    this.addEnvironment(ENV.gatewaySecretArn, secret.secretArn);
    return this;
  }

  /**
   * Grants `kms:Sign` (sign) or `kms:Verify` (verify), each with `kms:GetPublicKey`, on the
   * result-signing key, and sets `SIGNING_KEY_ID` (the key ARN, which KMS accepts as KeyId).
   */
  public bindSigningKey(key: IKey, use: 'sign' | 'verify'): this {
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [use === 'sign' ? 'kms:Sign' : 'kms:Verify', 'kms:GetPublicKey'],
        resources: [key.keyArn],
      }),
    );
    this.addEnvironment(ENV.signingKeyId, key.keyArn);
    return this;
  }

  /** Signs kiosk device tokens with `key` (kms:Sign) and publishes its public half (kms:GetPublicKey). */
  public bindDeviceTokenKey(key: IKey): this {
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [key.keyArn] }),
    );
    this.addEnvironment(ENV.deviceTokenKeyId, key.keyArn);
    return this;
  }
}
