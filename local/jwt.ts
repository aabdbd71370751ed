/**
 * The local token issuer and verifier. In the cloud, API Gateway's JWT authorizer verifies
 * Cognito's tokens; here the same checks (RS256 signature, issuer, audience, expiry) are made as
 * strictly, against a key pair kept in the data folder so that tokens survive a restart.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { isRole, type Role } from '#shared/auth.ts';

export const LOCAL_AUDIENCE = 'motcua-local';
const ALG = 'RS256';
const TOKEN_TTL_S = 8 * 3600;
/** Verified tokens remembered (a bound, not a tuning: a local runtime sees a few dozen). */
const VERIFIED_MAX = 10_000;

export interface LocalIssuer {
  readonly issuer: string;
  issue(claims: {
    role: Role;
    sub: string;
    ward?: string;
    residentialGroup?: string;
    idNumber?: string;
  }): Promise<string>;
  /** The verified claims, or undefined for a missing, forged, tampered, expired or alg-none token. */
  verify(token: string): Promise<JWTPayload | undefined>;
  jwks(): { keys: JWK[] };
  /** The private signing key, for the kiosks function's device tokens (local only). */
  signingJwk(): JWK;
}

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export async function createIssuer(issuer: string, dataDir: string | undefined): Promise<LocalIssuer> {
  const file = dataDir ? join(dataDir, 'local-jwt-key.json') : undefined;
  let privateJwk: JWK;
  if (file && existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const pair = await generateKeyPair(ALG, { extractable: true });
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: `local-${Date.now()}`, alg: ALG };
    if (file) writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d, p, q, dp, dq, qi, ...publicJwk } = privateJwk;
  const privateKey = (await importJWK(privateJwk, ALG)) as Key;
  const publicKey = (await importJWK(publicJwk, ALG)) as Key;
  const kid = privateJwk.kid ?? 'local';
  const verified = new Map<string, JWTPayload>();
  return {
    issuer,
    async issue({ role, sub, ward, residentialGroup, idNumber }) {
      if (!isRole(role)) throw new Error(`unknown role ${String(role)}`);
      return new SignJWT({
        role,
        ...(ward ? { ward } : {}),
        ...(residentialGroup ? { residentialGroup } : {}),
        ...(idNumber ? { idNumber } : {}),
      })
        .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_TTL_S}s`)
        .sign(privateKey);
    },
    async verify(token) {
      // A token whose signature and claims were verified once is the same string next time: only
      // its expiry can change the answer (the RSA check is ~65 µs of every request otherwise).
      const known = verified.get(token);
      if (known) {
        if ((known.exp ?? 0) * 1000 > Date.now()) return known;
        verified.delete(token);
        return undefined;
      }
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: [ALG],
          issuer,
          audience: LOCAL_AUDIENCE,
          requiredClaims: ['exp', 'sub', 'iat'],
        });
        if (verified.size >= VERIFIED_MAX) verified.clear();
        verified.set(token, payload);
        return payload;
      } catch {
        return undefined;
      }
    },
    jwks: () => ({ keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] }),
    signingJwk: () => ({ ...privateJwk, kid }),
  };
}
