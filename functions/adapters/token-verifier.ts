/**
 * Verifies bearer tokens against the trusted issuers (shared/token-claims.ts) with jose: the
 * signature against the issuer's published keys (fetched once per container and refreshed by jose
 * when an unknown key id appears), the issuer, the expiry (60 s of clock skew), RS256/ES256 only.
 */
import { createRemoteJWKSet, decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as z from 'zod';
import { claimsOf, type TrustedIssuer, trustedIssuer, type VerifiedClaims } from '#shared/token-claims.ts';

const issuersSchema = z
  .array(
    z.object({
      kind: z.enum(['staff', 'vneid']),
      issuer: z.url(),
      audience: z.string().min(1),
      jwksUri: z.url().optional(),
      idNumberClaim: z.string().min(1).optional(),
    }),
  )
  .min(1);

/** Reads the issuers from their JSON setting; throws (fails the cold start) when it is not valid. */
export function parseTrustedIssuers(json: string): readonly TrustedIssuer[] {
  return issuersSchema.parse(JSON.parse(json)).map((i) => ({
    kind: i.kind,
    issuer: i.issuer,
    audience: i.audience,
    ...(i.jwksUri ? { jwksUri: i.jwksUri } : {}),
    ...(i.idNumberClaim ? { idNumberClaim: i.idNumberClaim } : {}),
  }));
}

interface TokenVerifier {
  /** The verified claims, or undefined for a token the API does not trust (never throws for a bad token). */
  verify(token: string): Promise<VerifiedClaims | undefined>;
}

/** Where an issuer publishes its keys: configured, or read from its OpenID discovery document. */
async function discoverJwksUri(issuer: TrustedIssuer, fetchFn: typeof fetch): Promise<URL> {
  if (issuer.jwksUri) return new URL(issuer.jwksUri);
  const r = await fetchFn(`${issuer.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!r.ok) throw new Error(`OpenID discovery of ${issuer.issuer}: HTTP ${r.status}`);
  const doc = (await r.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new Error(`OpenID discovery of ${issuer.issuer}: no jwks_uri`);
  return new URL(doc.jwks_uri);
}

export function tokenVerifier(
  issuers: readonly TrustedIssuer[],
  opts: { readonly fetch?: typeof fetch } = {},
): TokenVerifier {
  const fetchFn = opts.fetch ?? fetch;
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();
  const keysOf = (issuer: TrustedIssuer): Promise<JWTVerifyGetKey> => {
    let keys = keySets.get(issuer.issuer);
    if (!keys) {
      keys = discoverJwksUri(issuer, fetchFn).then((uri) => createRemoteJWKSet(uri));
      // A failed discovery is tried again on the next token, not cached for the container's life.
      keys.catch(() => keySets.delete(issuer.issuer));
      keySets.set(issuer.issuer, keys);
    }
    return keys;
  };
  return {
    async verify(token) {
      let iss: unknown;
      try {
        iss = decodeJwt(token).iss;
      } catch {
        return undefined;
      }
      const issuer = trustedIssuer(issuers, iss);
      if (!issuer) return undefined;
      // An issuer whose keys cannot be had is an outage, not a bad token: it throws (alarmed 5xx).
      const keys = await keysOf(issuer);
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: issuer.issuer,
          algorithms: ['RS256', 'ES256'],
          clockTolerance: 60,
        });
        return claimsOf(issuer, payload);
      } catch (e) {
        if (e instanceof errors.JWKSTimeout || !(e instanceof errors.JOSEError)) throw e;
        return undefined;
      }
    },
  };
}
