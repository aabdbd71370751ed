/**
 * Who may call the API: a Cognito user pool for staff accounts (created by the ward's admin, TOTP
 * MFA required), optionally federated with VNeID for citizens, and the front ends' app client.
 * The HTTP API's JWT authorizer trusts this pool's issuer and this client as audience.
 */
import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
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
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Properties of {@link Identity}. */
export interface IdentityProps {
  /** VNeID as an OpenID Connect provider; omitted: staff accounts only. */
  readonly vneid?: {
    readonly issuerUrl: string;
    readonly clientId: string;
    /** Name of a Secrets Manager secret whose plain string value is the VNeID client secret. */
    readonly clientSecretName: string;
  };
  /** OAuth redirect URLs of the front ends after sign-in. */
  readonly callbackUrls: readonly string[];
  /** OAuth redirect URLs of the front ends after sign-out. */
  readonly logoutUrls: readonly string[];
  /** Prefix of the Cognito managed login domain; omitted: no hosted sign-in pages. */
  readonly domainPrefix?: string;
}

/** The provider name front ends pass as `identity_provider` to go straight to VNeID. */
export const VNEID_PROVIDER_NAME = 'VNeID';

export class Identity extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;

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
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

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
        },
      });
    }

    if (props.domainPrefix) {
      this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    }

    this.client = this.userPool.addClient('WebClient', {
      // Browser and kiosk apps: a public client (no secret) using the authorization code flow with PKCE.
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
      // Users (and the VNeID mapping) may write their profile, never their role or ward.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true, email: true, phoneNumber: true }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });
    if (vneid) this.client.node.addDependency(vneid);
  }
}
