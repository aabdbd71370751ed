/**
 * Deployment settings read from CDK context (cdk.json or `--context`), each with a safe default,
 * and the few cloud names that both stacks derive from `wiring/definitions.ts`.
 */
import { Aws } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { type LinkKind, linkTemplateProblem } from '#shared/links.ts';
import {
  ENDPOINT_SETTINGS,
  FRONTEND_ORIGINS_SETTING,
  parseGatewayEndpoints,
  parseOrigins,
} from '#shared/payments/merchants.ts';
import { DEFAULT_STAGE, ENV, LOCAL_NAMES, STAGE_PATTERN } from '#wiring/definitions.ts';

/** Context keys this app reads (see {@link readConfig} for which are required when). */
const CONTEXT_KEYS = {
  /** The deployment's name (DESIGN.md §7): `prod` (default), `staging`, `dev`... in every fixed name. */
  stage: 'motcua:stage',
  /**
   * How citizens' VNeID tokens reach the API: `direct` (default: the API's Lambda authorizer
   * verifies them against VNeID's keys; no Cognito user per citizen, so no per-citizen charge) or
   * `cognito-federation` (VNeID federated into the user pool, whose JWT authorizer guards the API).
   */
  citizenSignIn: 'motcua:citizenSignIn',
  /** Issuer URL of VNeID (OpenID Connect). With the client id, lets citizens sign in with VNeID. */
  oidcIssuer: 'motcua:oidcIssuer',
  /** The front end's client id at VNeID: the audience its tokens must carry. */
  oidcClientId: 'motcua:oidcClientId',
  /** `direct` only: VNeID's key set URL; by default read from its OpenID discovery document. */
  oidcJwksUrl: 'motcua:oidcJwksUrl',
  /** `cognito-federation` only: a Secrets Manager secret (plain string) holding the VNeID client secret. */
  oidcClientSecretName: 'motcua:oidcClientSecretName',
  /**
   * The VNeID claim that carries the citizen's personal identity number (số định danh cá nhân);
   * mapped to `custom:id_number`, then to the token's `idNumber`. Unset: citizens follow only
   * what they submitted themselves.
   */
  vneidIdNumberClaim: 'motcua:vneidIdNumberClaim',
  /** Comma-separated OAuth callback / logout URLs of the front ends. */
  callbackUrls: 'motcua:callbackUrls',
  logoutUrls: 'motcua:logoutUrls',
  /** Prefix of the Cognito managed login domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  authDomainPrefix: 'motcua:authDomainPrefix',
  /** Comma-separated origins allowed by CORS. */
  corsOrigins: 'motcua:corsOrigins',
  /** Base URL of public links (QR codes, pay pages); defaults to the API's own URL. */
  publicBaseUrl: 'motcua:publicBaseUrl',
  /** The portal's page of a procedure, with `{procedureId}`: what the catalog's QR codes open. */
  procedurePageUrl: 'motcua:procedurePageUrl',
  /** The portal's status page of a dossier, with `{code}`: what a receipt's QR code opens. */
  dossierPageUrl: 'motcua:dossierPageUrl',
  /** Citizens' SMS: the ARN of an AWS End User Messaging SMS phone number, sender ID or pool. */
  smsOriginationIdentity: 'motcua:smsOriginationIdentity',
  /** Citizens' e-mail: the From address, of an SES identity verified in the region. */
  emailFromAddress: 'motcua:emailFromAddress',
  /** The SES identity (domain or address) the From address belongs to. @default the address's domain */
  sesIdentity: 'motcua:sesIdentity',
  /** Zalo ZNS: ARN of the Secrets Manager secret (plain string) holding the OA access token. */
  zaloTokenSecretArn: 'motcua:zaloTokenSecretArn',
  /** Zalo ZNS: JSON `{ "<message kind>": "<template id>" }` of the approved templates. */
  zaloTemplates: 'motcua:zaloTemplates',
  /** E-mail address subscribed to the alarm topic; required unless the stage is a development one. */
  alarmEmail: 'motcua:alarmEmail',
  /** `sandbox` or `production` gateway endpoints; `production` for the `prod` stage, `sandbox` otherwise. */
  paymentGatewayMode: 'motcua:paymentGatewayMode',
  /** Overrides of single gateway URLs (VNPay confirms a merchant's production hosts at contract time). */
  vnpayPayUrl: 'motcua:vnpayPayUrl',
  vnpayApiUrl: 'motcua:vnpayApiUrl',
  momoCreateUrl: 'motcua:momoCreateUrl',
  momoQueryUrl: 'motcua:momoQueryUrl',
  /** Where gateways call back (IPN); the API's own endpoint when unset. */
  callbackBaseUrl: 'motcua:callbackBaseUrl',
  /** Comma-separated https origins of the front ends a gateway may send citizens back to. */
  frontendOrigins: 'motcua:frontendOrigins',
  /** The outbound address registered with VNPay (querydr's vnp_IpAddr), e.g. a NAT gateway's. */
  gatewayServerIp: 'motcua:gatewayServerIp',
} as const;

/**
 * Stages that may be synthesized and deployed without an alarm subscriber: a developer's own
 * copy. Every other stage (prod, staging, ...) must name `motcua:alarmEmail`, or synthesis fails.
 */
const DEV_STAGES: readonly string[] = ['dev', 'test'];

/** Cognito's rule for a managed login domain prefix. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/** The settings an app is built with, after defaults. */
/** The citizens' notification channels configured for a deployment (each optional). */
export interface ChannelsConfig {
  readonly smsOriginationIdentity?: string;
  readonly email?: { readonly from: string; readonly identity: string };
  readonly zalo?: { readonly tokenSecretArn: string; readonly templates: string };
}

export const CITIZEN_SIGN_IN = ['direct', 'cognito-federation'] as const;
export type CitizenSignIn = (typeof CITIZEN_SIGN_IN)[number];

/** VNeID trusted directly by the API authorizer. */
export interface DirectVneid {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly jwksUrl?: string;
  readonly idNumberClaim?: string;
}

interface DeploymentConfig {
  readonly stage: string;
  readonly channels: ChannelsConfig;
  readonly citizenSignIn: CitizenSignIn;
  /** VNeID federated into the user pool (`cognito-federation`). */
  readonly oidc?:
    | {
        readonly issuerUrl: string;
        readonly clientId: string;
        readonly clientSecretName: string;
        readonly idNumberClaim?: string;
      }
    | undefined;
  /** VNeID verified directly by the API (`direct`). */
  readonly vneid?: DirectVneid | undefined;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  readonly authDomainPrefix?: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly publicBaseUrl?: string | undefined;
  readonly procedurePageUrl?: string | undefined;
  readonly dossierPageUrl?: string | undefined;
  readonly alarmEmail?: string | undefined;
  /** The gateway settings the functions read from their environment (ENDPOINT_SETTINGS and friends). */
  readonly paymentEnvironment: Readonly<Record<string, string>>;
}

const LOCAL_FRONT_END = 'http://localhost:5173';

function text(node: Node, key: string): string | undefined {
  const v: unknown = node.tryGetContext(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`context ${key} must be a string, got ${typeof v}`);
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

function linkTemplate(node: Node, key: string, kind: LinkKind): string | undefined {
  const v = text(node, key);
  const problem = v === undefined ? undefined : linkTemplateProblem(v, kind);
  if (problem) throw new Error(`context ${key} ${problem}: ${v}`);
  return v;
}

function list(node: Node, key: string, fallback: readonly string[]): readonly string[] {
  const v = text(node, key);
  if (v === undefined) return fallback;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads the deployment settings from the context of `node` (the App). */
export function readConfig(node: Node): DeploymentConfig {
  const issuerUrl = text(node, CONTEXT_KEYS.oidcIssuer);
  const clientId = text(node, CONTEXT_KEYS.oidcClientId);
  const clientSecretName = text(node, CONTEXT_KEYS.oidcClientSecretName);
  if ((issuerUrl === undefined) !== (clientId === undefined)) {
    throw new Error(`set both ${CONTEXT_KEYS.oidcIssuer} and ${CONTEXT_KEYS.oidcClientId}, or neither`);
  }
  const citizenSignIn = (text(node, CONTEXT_KEYS.citizenSignIn) ?? 'direct') as CitizenSignIn;
  if (!CITIZEN_SIGN_IN.includes(citizenSignIn)) {
    throw new Error(
      `context ${CONTEXT_KEYS.citizenSignIn} must be one of ${CITIZEN_SIGN_IN.join(', ')}: ${citizenSignIn}`,
    );
  }
  const federated = citizenSignIn === 'cognito-federation';
  const jwksUrl = text(node, CONTEXT_KEYS.oidcJwksUrl);
  for (const [key, url] of [
    [CONTEXT_KEYS.oidcIssuer, issuerUrl],
    [CONTEXT_KEYS.oidcJwksUrl, jwksUrl],
  ] as const) {
    if (url !== undefined && !/^https:\/\/[^\s/]+/.test(url))
      throw new Error(`context ${key} must be an https URL: ${url}`);
  }
  if (federated && issuerUrl !== undefined && clientId !== undefined && clientSecretName === undefined) {
    throw new Error(
      `VNeID needs ${CONTEXT_KEYS.oidcClientSecretName}: the Secrets Manager secret with its client secret`,
    );
  }
  const stage = text(node, CONTEXT_KEYS.stage) ?? DEFAULT_STAGE;
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(
      `context ${CONTEXT_KEYS.stage} must be 2-12 lower-case letters, digits or inner hyphens (e.g. prod, staging): ${stage}`,
    );
  }
  const authDomainPrefix = text(node, CONTEXT_KEYS.authDomainPrefix);
  if (authDomainPrefix !== undefined) {
    if (!DOMAIN_PREFIX.test(authDomainPrefix) || /aws|amazon|cognito/.test(authDomainPrefix)) {
      throw new Error(
        `context ${CONTEXT_KEYS.authDomainPrefix} must be 1-63 lower-case letters, digits or inner hyphens, ` +
          `without "aws", "amazon" or "cognito" (Cognito's rule): ${authDomainPrefix}`,
      );
    }
  } else if (federated && issuerUrl !== undefined) {
    throw new Error(
      `VNeID needs ${CONTEXT_KEYS.authDomainPrefix}: citizens sign in through the managed login pages ` +
        '(<prefix>.auth.<region>.amazoncognito.com), where VNeID redirects back to',
    );
  }
  const alarmEmail = text(node, CONTEXT_KEYS.alarmEmail);
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new Error(`context ${CONTEXT_KEYS.alarmEmail} must be one e-mail address: ${alarmEmail}`);
  }
  if (alarmEmail === undefined && !DEV_STAGES.includes(stage)) {
    throw new Error(
      `stage ${stage} needs ${CONTEXT_KEYS.alarmEmail}: without a subscriber no alarm reaches anyone ` +
        `(only the stages ${DEV_STAGES.join(', ')} may go without; e.g. -c ${CONTEXT_KEYS.alarmEmail}=ops@example.gov.vn)`,
    );
  }
  return {
    stage,
    channels: readChannels(node),
    citizenSignIn,
    oidc:
      federated && issuerUrl !== undefined && clientId !== undefined && clientSecretName !== undefined
        ? { issuerUrl, clientId, clientSecretName, ...idNumberClaim(node) }
        : undefined,
    vneid:
      !federated && issuerUrl !== undefined && clientId !== undefined
        ? { issuerUrl, clientId, ...(jwksUrl ? { jwksUrl } : {}), ...idNumberClaim(node) }
        : undefined,
    callbackUrls: list(node, CONTEXT_KEYS.callbackUrls, [`${LOCAL_FRONT_END}/callback`]),
    logoutUrls: list(node, CONTEXT_KEYS.logoutUrls, [`${LOCAL_FRONT_END}/`]),
    authDomainPrefix,
    corsOrigins: list(node, CONTEXT_KEYS.corsOrigins, ['*']),
    publicBaseUrl: text(node, CONTEXT_KEYS.publicBaseUrl),
    procedurePageUrl: linkTemplate(node, CONTEXT_KEYS.procedurePageUrl, 'procedure'),
    dossierPageUrl: linkTemplate(node, CONTEXT_KEYS.dossierPageUrl, 'dossier'),
    alarmEmail,
    paymentEnvironment: paymentEnvironment(node),
  };
}

/**
 * The payment settings of the functions' environment, checked at synth time: the `prod` stage
 * refuses the sandbox mode, and production refuses sandbox hosts and plain http (the functions
 * check the same again when they start, shared/payments/merchants.ts).
 */
function paymentEnvironment(node: Node): Record<string, string> {
  const stage = text(node, CONTEXT_KEYS.stage) ?? DEFAULT_STAGE;
  const mode = text(node, CONTEXT_KEYS.paymentGatewayMode) ?? (stage === 'prod' ? 'production' : 'sandbox');
  if (stage === 'prod' && mode !== 'production') {
    throw new Error(`the prod stage takes real payments only: ${CONTEXT_KEYS.paymentGatewayMode} must be production`);
  }
  const out: Record<string, string> = { [ENDPOINT_SETTINGS.mode]: mode };
  const urls: [string, string][] = [
    [CONTEXT_KEYS.vnpayPayUrl, ENDPOINT_SETTINGS.vnpayPayUrl],
    [CONTEXT_KEYS.vnpayApiUrl, ENDPOINT_SETTINGS.vnpayApiUrl],
    [CONTEXT_KEYS.momoCreateUrl, ENDPOINT_SETTINGS.momoCreateUrl],
    [CONTEXT_KEYS.momoQueryUrl, ENDPOINT_SETTINGS.momoQueryUrl],
  ];
  for (const [key, name] of urls) {
    const v = text(node, key);
    if (v !== undefined) out[name] = v;
  }
  try {
    parseGatewayEndpoints(out);
  } catch (e) {
    throw new Error(`payment gateway settings: ${(e as Error).message}`);
  }
  const callback = text(node, CONTEXT_KEYS.callbackBaseUrl);
  if (callback !== undefined) {
    if (!/^https:\/\/[^/@\s]+(\/[^\s]*)?$/.test(callback)) {
      throw new Error(`context ${CONTEXT_KEYS.callbackBaseUrl} must be an https URL: ${callback}`);
    }
    out[ENV.callbackBaseUrl] = callback.replace(/\/$/, '');
  }
  const origins = text(node, CONTEXT_KEYS.frontendOrigins);
  if (origins !== undefined) out[FRONTEND_ORIGINS_SETTING] = parseOrigins(origins).join(',');
  const ip = text(node, CONTEXT_KEYS.gatewayServerIp);
  if (ip !== undefined) out.GATEWAY_SERVER_IP = ip;
  return out;
}

/**
 * The scans bucket's name: fixed per stage, account and region (like the queue names of
 * definitions.ts), so that the API stack addresses it by name instead of importing a
 * CloudFormation export, and the IAM statements on its objects read
 * `arn:<partition>:s3:::motcua-scans-<stage>-<account>-<region>/*`.
 */
export const scansBucketName = (stage: string): string =>
  `${LOCAL_NAMES.bucket}-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/**
 * Values the API stack reads from the stateful stack through SSM parameters (resolved at each of
 * its deployments) rather than CloudFormation exports: they can change (a replaced app client, a
 * stream re-enabled), and an export in use cannot change. Every other reference is an export of
 * a value that never changes (the retained table's name and ARN, the bus, the key, the secret, the
 * user pool id).
 */
export const ssmParameterNames = (stage: string) =>
  ({
    webClientId: `/motcua/${stage}/web-client-id`,
    tableStreamArn: `/motcua/${stage}/table-stream-arn`,
  }) as const;

/** The token-claims trigger's name: fixed, so the API stack's alarm names it without an export. */
export const tokenClaimsFunctionName = (stage: string): string => `motcua-${stage}-token-claims`;

/** Where the bundler copies asset files inside the deployment package (`/var/task` at run time). */
export const LAMBDA_TASK_ROOT = '/var/task';

function idNumberClaim(node: Node): { idNumberClaim?: string } {
  const claim = text(node, CONTEXT_KEYS.vneidIdNumberClaim);
  if (claim === undefined) return {};
  if (!/^[A-Za-z0-9_:.-]{1,64}$/.test(claim)) throw new Error(`${CONTEXT_KEYS.vneidIdNumberClaim}: a claim name`);
  return { idNumberClaim: claim };
}

function readChannels(node: Node): ChannelsConfig {
  const sms = text(node, CONTEXT_KEYS.smsOriginationIdentity);
  if (
    sms !== undefined &&
    !/^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|sender-id|pool)\/\S+$/.test(sms)
  ) {
    throw new Error(
      `context ${CONTEXT_KEYS.smsOriginationIdentity} must be the ARN of an End User Messaging SMS phone number, ` +
        `sender ID or pool (the grant names it exactly): ${sms}`,
    );
  }
  const from = text(node, CONTEXT_KEYS.emailFromAddress);
  if (from !== undefined && !EMAIL.test(from))
    throw new Error(`context ${CONTEXT_KEYS.emailFromAddress} must be an e-mail address: ${from}`);
  const identity = text(node, CONTEXT_KEYS.sesIdentity) ?? from?.split('@')[1];
  const tokenSecretArn = text(node, CONTEXT_KEYS.zaloTokenSecretArn);
  if (
    tokenSecretArn !== undefined &&
    !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:\S+$/.test(tokenSecretArn)
  ) {
    throw new Error(
      `context ${CONTEXT_KEYS.zaloTokenSecretArn} must be a Secrets Manager secret ARN: ${tokenSecretArn}`,
    );
  }
  const templates = text(node, CONTEXT_KEYS.zaloTemplates) ?? '{}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(templates);
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string' && v !== '')
  ) {
    throw new Error(
      `context ${CONTEXT_KEYS.zaloTemplates} must be JSON {"<message kind>": "<template id>"}: ${templates}`,
    );
  }
  return {
    ...(sms ? { smsOriginationIdentity: sms } : {}),
    ...(from && identity ? { email: { from, identity } } : {}),
    ...(tokenSecretArn ? { zalo: { tokenSecretArn, templates } } : {}),
  };
}
