/**
 * Who may call the API: a Cognito user pool for staff accounts (created by the ward's admin, TOTP
 * MFA required), optionally federated with VNeID for citizens, and the front ends' app client.
 * The HTTP API's JWT authorizer trusts this pool's issuer and this client as audience.
 *
 * Kiosks are devices, not users (no account, no TOTP): each kiosk has its own client id and secret
 * (registered by the ward's admin, POST /v1/admin/kiosks, kept as a hash in the table) and
 * exchanges them at POST /v1/kiosk/token for a 10-minute RS256 token signed by
 * {@link Identity.deviceTokenKey} (KMS, never leaves it). The API is that token's issuer: it serves
 * `/.well-known/openid-configuration` and `/.well-known/jwks.json` (the key's public half), and the
 * API stack's device JWT authorizer trusts this issuer (audience `motcua-kiosk`) on the kiosk-only
 * routes. Revoking a kiosk stops the exchange at once; its last token dies within 10 minutes.
 * (Cognito's own M2M clients were weighed: one app client per kiosk would need the JWT
 * authorizer's audience list rewritten at every registration.)
 */

import { join } from 'node:path';
import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  OidcAttributeRequestMethod,
  ProviderAttribute,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolIdentityProviderOidc,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from '../assets.ts';
import { tokenClaimsFunctionName } from '../config.ts';
import { VNEID_PROVIDER_NAME } from '../identity/token-claims.ts';
import { MotcuaFunction } from './motcua-function.ts';

/** Properties of {@link Identity}. */
export interface IdentityProps {
  /** VNeID as an OpenID Connect provider; omitted: staff accounts only. */
  readonly vneid?:
    | {
        readonly issuerUrl: string;
        readonly clientId: string;
        /** Name of a Secrets Manager secret whose plain string value is the VNeID client secret. */
        readonly clientSecretName: string;
        /** VNeID's claim with the personal identity number, mapped to `custom:id_number` (token claim `idNumber`). */
        readonly idNumberClaim?: string;
      }
    | undefined;
  /** OAuth redirect URLs of the front ends after sign-in. */
  readonly callbackUrls: readonly string[];
  /** OAuth redirect URLs of the front ends after sign-out. */
  readonly logoutUrls: readonly string[];
  /** Prefix of the Cognito managed login domain; omitted: no hosted sign-in pages. */
  readonly domainPrefix?: string | undefined;
  /** The deployment's stage: the token-claims trigger is named after it (its alarm names it). */
  readonly stage?: string;
}

export class Identity extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  /** Adds the `role` and `ward` claims the handlers read to every token. */
  public readonly tokenClaims: MotcuaFunction;
  /** Signs the kiosks' device tokens (RSA 2048, RS256); see the comment at the top. */
  public readonly deviceTokenKey: Key;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      // Staff accounts are created by the ward's administrators; citizens arrive through VNeID.
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // Claims `custom:role` and `custom:ward` of the ID token (DESIGN.md §6); set by admins only.
      customAttributes: {
        role: new StringAttribute({ minLen: 1, maxLen: 16, mutable: true }),
        ward: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        // A helper's residential group (admin-set); a citizen's identity number (mapped from VNeID at each sign-in).
        group: new StringAttribute({ minLen: 1, maxLen: 80, mutable: true }),
        id_number: new StringAttribute({ minLen: 9, maxLen: 12, mutable: true }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deviceTokenKey = new Key(this, 'DeviceTokenKey', {
      description: "Signs the kiosk devices' access tokens (RS256); the API serves its public half as JWKS",
      keySpec: KeySpec.RSA_2048,
      keyUsage: KeyUsage.SIGN_VERIFY,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The handlers read plain `role` / `ward` claims; Cognito keeps them as custom attributes.
    // Access token customization (V2 trigger) needs the Essentials or Plus feature plan.
    this.tokenClaims = new MotcuaFunction(this, 'TokenClaims', {
      spec: {
        name: 'token-claims',
        description: 'Cognito pre token generation: role and ward claims for the API',
        memoryMb: 128,
        timeoutS: 5,
        access: {},
      },
      entry: join(PROJECT_ROOT, 'infra', 'identity', 'token-claims.ts'),
      ...(props.stage ? { functionName: tokenClaimsFunctionName(props.stage) } : {}),
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.tokenClaims, LambdaVersion.V2_0);

    let vneid: UserPoolIdentityProviderOidc | undefined;
    if (props.vneid) {
      vneid = new UserPoolIdentityProviderOidc(this, 'VNeID', {
        userPool: this.userPool,
        name: VNEID_PROVIDER_NAME,
        issuerUrl: props.vneid.issuerUrl,
        clientId: props.vneid.clientId,
        // A dynamic reference: CloudFormation reads the secret at deploy time, the template holds its name only.
        clientSecret: SecretValue.secretsManager(props.vneid.clientSecretName).unsafeUnwrap(),
        scopes: ['openid', 'profile', 'phone', 'email'],
        attributeRequestMethod: OidcAttributeRequestMethod.GET,
        attributeMapping: {
          fullname: ProviderAttribute.other('name'),
          phoneNumber: ProviderAttribute.other('phone_number'),
          email: ProviderAttribute.other('email'),
          ...(props.vneid.idNumberClaim
            ? { custom: { 'custom:id_number': ProviderAttribute.other(props.vneid.idNumberClaim) } }
            : {}),
        },
      });
    }

    if (props.domainPrefix) {
      this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    }

    this.client = this.userPool.addClient('WebClient', {
      // Browser apps: a public client (no secret) using the authorization code flow with PKCE (kiosks are devices, above).
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE, OAuthScope.PHONE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.logoutUrls],
      },
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...(vneid ? [UserPoolClientIdentityProvider.custom(VNEID_PROVIDER_NAME)] : []),
      ],
      // Users (and the VNeID mapping) may write their profile, never their role or ward. The
      // identity number is written by the VNeID mapping at each sign-in (a mapped attribute must be
      // writable by the client); a federated user's tokens carry only the OAuth scopes above, never
      // aws.cognito.signin.user.admin, so they cannot call UpdateUserAttributes to change it, and
      // token-claims trusts it only for VNeID-federated citizens.
      writeAttributes: new ClientAttributes()
        .withStandardAttributes({
          fullname: true,
          email: true,
          phoneNumber: true,
        })
        .withCustomAttributes(...(props.vneid?.idNumberClaim ? ['id_number'] : [])),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });
    if (vneid) this.client.node.addDependency(vneid);
  }
}
