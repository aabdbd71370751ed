/**
 * Everything of the wiring manifest: one HTTP API with a JWT authorizer, and per cloud function a
 * {@link ManifestFunction} (the Lambda, its routes, queue, rules, notifications, stream mapping,
 * schedules, alarms). Stateless: it can be destroyed and redeployed without losing data.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpJwtAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
  HttpUserPoolAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { type IUserPool, type IUserPoolClient, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DEVICE_TOKEN_AUDIENCE, ENV, fixedName } from '#wiring/definitions.ts';
import { authorizerSpec, type FunctionSpec } from '#wiring/manifest.ts';
import { PROJECT_ROOT } from './assets.ts';
import {
  type ChannelsConfig,
  type CitizenSignIn,
  type DirectVneid,
  scansBucketName,
  ssmParameterNames,
  tokenClaimsFunctionName,
} from './config.ts';
import { ALARM_PERIOD, allowCloudWatchAlarms, notifyingAlarm } from './constructs/alarms.ts';
import { functionAlarms, ManifestFunction, type StatefulResources } from './constructs/manifest-function.ts';
import { MotcuaFunction } from './constructs/motcua-function.ts';
import { Edge } from './edge.ts';

/** Stage throttling for the whole API (requests per second, burst). */
const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Properties of {@link ApiStack}. */
interface ApiStackProps extends StackProps {
  /** The cloud functions of the manifest (no `localOnly` entries). */
  readonly functions: readonly FunctionSpec[];
  /** Table, bus, secret and key from the stateful stack; the scans bucket is addressed by name. */
  readonly resources: Omit<StatefulResources, 'scansBucket'>;
  /** The pool whose tokens the JWT authorizer accepts. */
  readonly userPool: IUserPool;
  /**
   * The app client that is the tokens' audience. Only its id is used, read from the stateful
   * stack's SSM parameter (a replaced client must not be blocked by an export in use).
   */
  readonly userPoolClient?: IUserPoolClient | undefined;
  /** Origins allowed by CORS. */
  readonly corsOrigins: readonly string[];
  /** Base URL of public links; defaults to the API's URL. */
  readonly publicBaseUrl?: string | undefined;
  /** Portal pages the QR codes open (URL templates, see shared/links.ts); the API's JSON when unset. */
  readonly procedurePageUrl?: string | undefined;
  readonly dossierPageUrl?: string | undefined;
  /** E-mail address subscribed to the alarm topic. */
  readonly alarmEmail?: string | undefined;
  /** Payment gateway settings for the functions' environment (infra/config.ts). */
  readonly paymentEnvironment?: Readonly<Record<string, string>> | undefined;
  /** Font files for the forms function, relative to the font package. */
  readonly fontFiles?: readonly string[] | undefined;
  /** The WAF web ACL (us-east-1) of the CloudFront edge in front of the API; no edge when unset. */
  readonly edgeWebAclArn?: string | undefined;
  /** The deployment's stage, in every fixed name. */
  readonly stage: string;
  /** The citizens' notification channels configured (SMS, e-mail, Zalo). */
  readonly channels?: ChannelsConfig | undefined;
  /**
   * How citizens' VNeID sign-in reaches the API (infra/config.ts `motcua:citizenSignIn`): `direct`,
   * a Lambda authorizer verifying the user pool's and VNeID's tokens (no per-citizen charge), or
   * `cognito-federation`, the user pool's JWT authorizer with VNeID federated into the pool.
   * @default 'direct'
   */
  readonly citizenSignIn?: CitizenSignIn;
  /** VNeID as a directly trusted issuer (with `direct`); omitted: staff tokens only. */
  readonly vneid?: DirectVneid;
}

export class ApiStack extends Stack {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  public readonly alarmTopic: Topic;
  /** Per manifest name. */
  public readonly functions: ReadonlyMap<string, ManifestFunction>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    if (this.bundlingRequired) {
      const missing = props.functions
        .filter((f) => !f.localOnly && !existsSync(join(PROJECT_ROOT, 'functions', `${f.name}.ts`)))
        .map((f) => `functions/${f.name}.ts`);
      if (missing.length > 0) {
        throw new Error(`wiring/manifest.ts names handlers that do not exist yet: ${missing.join(', ')}`);
      }
    }

    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: `motcua ${props.stage} alarms`, enforceSSL: true });
    allowCloudWatchAlarms(this.alarmTopic);
    // Required outside the development stages (infra/config.ts): the address confirms the subscription once.
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: fixedName('api', props.stage),
      description: 'motcua: public administrative service center API (DESIGN.md §6)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'x-correlation-id'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // Route keys, not raw paths or query strings: no dossier codes or phone digits in the logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    const webClientId = StringParameter.valueForStringParameter(this, ssmParameterNames(props.stage).webClientId);
    const authorizer =
      (props.citizenSignIn ?? 'direct') === 'direct'
        ? this.directAuthorizer(props, webClientId)
        : new HttpUserPoolAuthorizer('JwtAuthorizer', props.userPool, {
            userPoolClients: [UserPoolClient.fromUserPoolClientId(this, 'WebClient', webClientId)],
            identitySource: ['$request.header.Authorization'],
          });

    // Kiosk devices' tokens: the API is their issuer (functions/kiosks.ts serves discovery and JWKS).
    const deviceAuthorizer = new HttpJwtAuthorizer('DeviceJwtAuthorizer', this.httpApi.apiEndpoint, {
      jwtAudience: [DEVICE_TOKEN_AUDIENCE],
      identitySource: ['$request.header.Authorization'],
    });

    const resources: StatefulResources = {
      ...props.resources,
      // The table by its (never changing) ARN export, its stream by the SSM parameter (it can change).
      table: Table.fromTableAttributes(this, 'TableRef', {
        tableArn: props.resources.table.tableArn,
        tableStreamArn: StringParameter.valueForStringParameter(this, ssmParameterNames(props.stage).tableStreamArn),
      }),
      // By name (fixed per account and region), so its object ARN names no export of the other stack.
      scansBucket: Bucket.fromBucketName(this, 'ScansBucket', scansBucketName(props.stage)),
    };
    const environment = {
      [ENV.publicBaseUrl]: props.publicBaseUrl ?? this.httpApi.apiEndpoint,
      [ENV.deviceTokenIssuer]: this.httpApi.apiEndpoint,
      // Gateways call back at the API's own endpoint unless CALLBACK_BASE_URL says otherwise.
      [ENV.apiEndpoint]: this.httpApi.apiEndpoint,
      ...props.paymentEnvironment,
      ...(props.procedurePageUrl ? { [ENV.procedurePageUrl]: props.procedurePageUrl } : {}),
      ...(props.dossierPageUrl ? { [ENV.dossierPageUrl]: props.dossierPageUrl } : {}),
    };

    // Our own group per stage: schedules are named as in the manifest without clashing in the account's
    // default group or another stage's. Deleted with the stack (its schedules with it) so a redeploy can
    // create it again under the same name.
    const scheduleGroup = props.functions.some((f) => (f.schedules ?? []).length > 0)
      ? new ScheduleGroup(this, 'Schedules', {
          scheduleGroupName: fixedName('schedules', props.stage),
          removalPolicy: RemovalPolicy.DESTROY,
        })
      : undefined;
    if (scheduleGroup) {
      notifyingAlarm(this, 'ScheduleTargetErrorsAlarm', this.alarmTopic, {
        description:
          'A schedule could not invoke its function (target errors: permissions, throttling, missing function)',
        metric: scheduleGroup.metricTargetErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      });
      notifyingAlarm(this, 'ScheduleDroppedAlarm', this.alarmTopic, {
        description: 'A scheduled run was dropped after its retries: that run did not happen (the next one will)',
        metric: scheduleGroup.metricDropped({ period: ALARM_PERIOD, statistic: 'Sum' }),
      });
    }

    const functions = new Map<string, ManifestFunction>();
    for (const spec of props.functions) {
      if (spec.localOnly) continue;
      functions.set(
        spec.name,
        new ManifestFunction(this, pascal(spec.name), {
          spec,
          resources,
          httpApi: this.httpApi,
          authorizer,
          deviceAuthorizer,
          alarmTopic: this.alarmTopic,
          environment,
          fontFiles: props.fontFiles,
          scheduleGroup,
          stage: props.stage,
          channels: props.channels,
        }),
      );
    }
    this.functions = functions;

    if (props.edgeWebAclArn) {
      // The throttled routes' functions read the viewer's address behind CloudFront (functions/lib/client-ip.ts).
      const viewers = props.functions
        .filter((f) => (f.routes ?? []).some((r) => r.throttled))
        .flatMap((f) => functions.get(f.name)?.function ?? []);
      const edge = new Edge(this, 'Edge', {
        apiDomain: `${this.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
        webAclArn: props.edgeWebAclArn,
        viewers,
      });
      new CfnOutput(this, 'EdgeUrl', { value: `https://${edge.distribution.distributionDomainName}` });
    }

    notifyingAlarm(this, 'Api5xxAlarm', this.alarmTopic, {
      description: 'The API answered 5xx: handled errors become 500 responses, so Lambda Errors miss them',
      metric: this.stage.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' }),
    });

    // The token-claims trigger lives with the user pool (stateful stack); named per stage, so its
    // alarms here need no export. A failing trigger means nobody can sign in.
    functionAlarms(
      new Construct(this, 'TokenClaimsAlarms'),
      tokenClaimsFunctionName(props.stage),
      'token-claims (sign-in: a failing trigger means nobody can sign in)',
      this.alarmTopic,
    );

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }

  /**
   * The Lambda authorizer of functions/authorizer.ts: trusts the user pool (staff) and, when
   * configured, VNeID directly (citizens). Its answer is cached per token for five minutes; the
   * handlers refuse a cached answer once the token's `exp` has passed.
   */
  private directAuthorizer(props: ApiStackProps, webClientId: string): HttpLambdaAuthorizer {
    const issuers = [
      {
        kind: 'staff',
        issuer: `https://cognito-idp.${this.region}.${this.urlSuffix}/${props.userPool.userPoolId}`,
        audience: webClientId,
      },
      ...(props.vneid
        ? [
            {
              kind: 'vneid',
              issuer: props.vneid.issuerUrl,
              audience: props.vneid.clientId,
              ...(props.vneid.jwksUrl ? { jwksUri: props.vneid.jwksUrl } : {}),
              ...(props.vneid.idNumberClaim ? { idNumberClaim: props.vneid.idNumberClaim } : {}),
            },
          ]
        : []),
    ];
    const fn = new MotcuaFunction(this, 'Authorizer', {
      spec: authorizerSpec,
      functionName: fixedName('authorizer', props.stage),
      environment: { [ENV.trustedIssuers]: this.toJsonString(issuers) },
    });
    functionAlarms(
      new Construct(this, 'AuthorizerAlarms'),
      fn.functionName,
      'authorizer (sign-in: a failing authorizer refuses every signed-in request)',
      this.alarmTopic,
    );
    return new HttpLambdaAuthorizer('ApiAuthorizer', fn, {
      authorizerName: 'ApiAuthorizer',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.minutes(5),
      identitySource: ['$request.header.Authorization'],
    });
  }
}

/** `outbox-relay` -> `OutboxRelay`. */
const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => `${p.charAt(0).toUpperCase()}${p.slice(1)}`)
    .join('');
