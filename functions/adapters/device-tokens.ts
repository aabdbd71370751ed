/**
 * Kiosk device credentials: the secrets (random, kept as SHA-256) and the token issuer.
 *
 * Locally (`MOTCUA_LOCAL=1`) tokens are signed with the local issuer's RS256 key, which the local
 * runtime hands over in `MOTCUA_LOCAL_TOKEN_KEY` (with its issuer and audience), so the local
 * gateway verifies them like any local token. In the cloud they are signed by the KMS key of
 * `DEVICE_TOKEN_KEY_ID` (RSA_2048, RSASSA_PKCS1_V1_5_SHA_256 = JWT RS256), with `iss` the API's own
 * URL: the API serves the issuer's OpenID discovery document and JWKS (the key's public half, from
 * kms:GetPublicKey) and the HTTP API's device JWT authorizer trusts that issuer for the kiosk
 * routes (infra/constructs/identity.ts).
 */
import { createHash, createPublicKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { JWK } from 'jose';
import type { DeviceSecrets, DeviceTokenIssuer } from '#shared/use-cases/kiosks.ts';
import { DEVICE_TOKEN_AUDIENCE, ENV } from '#wiring/definitions.ts';
import { requiredEnv } from './clients.ts';

export const DEVICE_TOKEN_ENV = {
  /** Cloud: the KMS key that signs kiosk tokens. */
  keyId: ENV.deviceTokenKeyId,
  /** Cloud: the tokens' issuer (the API's base URL). */
  issuer: ENV.deviceTokenIssuer,
  /** Local: the local issuer's private JWK (JSON), issuer and audience. */
  localKey: 'MOTCUA_LOCAL_TOKEN_KEY',
  localIssuer: 'MOTCUA_LOCAL_TOKEN_ISSUER',
  localAudience: 'MOTCUA_LOCAL_TOKEN_AUDIENCE',
} as const;

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');

export const deviceSecrets: DeviceSecrets = {
  newClientId: () => `kiosk-${randomBytes(12).toString('hex')}`,
  newSecret: () => randomBytes(32).toString('base64url'),
  // 256 random bits need no slow hash: SHA-256 cannot be reversed, and there is nothing to guess.
  hash: (secret) => `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`,
  matches: (secret, hash) => {
    const a = Buffer.from(deviceSecrets.hash(secret));
    const b = Buffer.from(hash);
    return a.length === b.length && timingSafeEqual(a, b);
  },
};

/**
 * The JOSE library, for the local issuer only: a specifier esbuild does not follow, so that the cloud
 * bundle, which signs with KMS, leaves it out (a bundled `import('jose')` kept all of it, ~60 KB).
 */
const JOSE: string = 'jose';

class LocalDeviceTokenIssuer implements DeviceTokenIssuer {
  private readonly jwk: JWK = JSON.parse(requiredEnv(DEVICE_TOKEN_ENV.localKey)) as JWK;
  async issue(c: { sub: string; ward: string; point: string }, ttlS: number): Promise<string> {
    const { importJWK, SignJWT } = (await import(JOSE)) as typeof import('jose');
    const key = await importJWK(this.jwk, 'RS256');
    return new SignJWT({ role: 'kiosk', ward: c.ward, point: c.point })
      .setProtectedHeader({ alg: 'RS256', kid: this.jwk.kid ?? 'local', typ: 'JWT' })
      .setSubject(c.sub)
      .setIssuer(requiredEnv(DEVICE_TOKEN_ENV.localIssuer))
      .setAudience(requiredEnv(DEVICE_TOKEN_ENV.localAudience))
      .setIssuedAt()
      .setExpirationTime(`${ttlS}s`)
      .sign(key);
  }
}

/** The KMS key's id as the JWT `kid`: its last path segment (a key id, not a secret). */
const kidOf = (keyId: string) => keyId.split('/').pop() ?? keyId;

export class KmsDeviceTokenIssuer implements DeviceTokenIssuer {
  private publicJwk?: Promise<JWK>;
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
    private readonly issuer: string,
  ) {}

  async issue(c: { sub: string; ward: string; point: string }, ttlS: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: kidOf(this.keyId) };
    const claims = {
      iss: this.issuer,
      aud: DEVICE_TOKEN_AUDIENCE,
      sub: c.sub,
      role: 'kiosk',
      ward: c.ward,
      point: c.point,
      iat: now,
      exp: now + ttlS,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const r = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: Buffer.from(input),
        MessageType: 'RAW',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    if (!r.Signature) throw new Error('KMS returned no signature');
    return `${input}.${b64url(r.Signature)}`;
  }

  /** The public key as a JWK, for the JWKS document (fetched once per container). */
  jwk(): Promise<JWK> {
    this.publicJwk ??= this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((r) => {
      if (!r.PublicKey) throw new Error('KMS returned no public key');
      const jwk = createPublicKey({ key: Buffer.from(r.PublicKey), format: 'der', type: 'spki' }).export({
        format: 'jwk',
      }) as JWK;
      return { ...jwk, kid: kidOf(this.keyId), alg: 'RS256', use: 'sig' };
    });
    return this.publicJwk;
  }
}

/** The local issuer's public key (the local gateway verifies with it). */
export function localPublicJwk(): JWK {
  const { d, p, q, dp, dq, qi, ...pub } = JSON.parse(requiredEnv(DEVICE_TOKEN_ENV.localKey)) as JWK;
  return { ...pub, alg: 'RS256', use: 'sig' };
}

let issuer: DeviceTokenIssuer | undefined;

export function deviceTokenIssuer(): DeviceTokenIssuer {
  issuer ??= process.env[ENV.local]
    ? new LocalDeviceTokenIssuer()
    : new KmsDeviceTokenIssuer(
        new KMSClient({}),
        requiredEnv(DEVICE_TOKEN_ENV.keyId),
        requiredEnv(DEVICE_TOKEN_ENV.issuer),
      );
  return issuer;
}
