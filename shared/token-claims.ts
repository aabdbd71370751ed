/**
 * Which signed tokens the API trusts, and what each may claim. Two kinds of issuer:
 * - `staff`: the deployment's Cognito user pool (officials, helpers, the province). Its tokens carry
 *   `role`, `ward`... from the pre token generation trigger; an ID token names the app client in
 *   `aud`, an access token in `client_id`.
 * - `vneid`: VNeID (định danh điện tử), the national digital identity, verified directly: whoever
 *   it vouches for is a citizen, nothing more (a `role` or `ward` claim in such a token is ignored),
 *   and the personal identity number is read from the claim the deployment names.
 * Verifying VNeID's tokens directly, rather than federating VNeID into the user pool, spares the
 * per-citizen monthly charge of a federated Cognito user (bench/lib/bill.ts).
 */
import { ID_NUMBER, isRole } from './auth.ts';

export type TrustedIssuerKind = 'staff' | 'vneid';

/** One issuer the API authorizer trusts. */
export interface TrustedIssuer {
  readonly kind: TrustedIssuerKind;
  /** The exact `iss` of its tokens. */
  readonly issuer: string;
  /** The app client the tokens must be issued to (`aud`, or Cognito's `client_id` on access tokens). */
  readonly audience: string;
  /** Where its signing keys are; default: the issuer's OpenID discovery document (`jwks_uri`). */
  readonly jwksUri?: string;
  /** VNeID: the claim that carries the personal identity number (số định danh cá nhân). */
  readonly idNumberClaim?: string;
}

/**
 * What the authorizer hands the handlers (API Gateway's `requestContext.authorizer.lambda`), in the
 * same claim names as a JWT authorizer's: `exp` lets the handler refuse a cached answer for a token
 * that has expired since.
 */
export type VerifiedClaims = Readonly<Record<string, string | number>>;

const text = (v: unknown, max = 200): string | undefined =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : undefined;

const audienceMatches = (payload: Readonly<Record<string, unknown>>, audience: string): boolean => {
  const aud = payload.aud;
  if (typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.includes(audience)) return true;
  // Cognito's access tokens carry no `aud`: the app client is `client_id`.
  return aud === undefined && payload.token_use === 'access' && payload.client_id === audience;
};

/**
 * The claims of a token whose signature, issuer and expiry were verified against `issuer`;
 * undefined when it is not a token of this API (wrong audience, no subject, no usable role).
 */
export function claimsOf(
  issuer: TrustedIssuer,
  payload: Readonly<Record<string, unknown>>,
): VerifiedClaims | undefined {
  const sub = text(payload.sub);
  const exp = typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp : undefined;
  if (!sub || exp === undefined || !audienceMatches(payload, issuer.audience)) return undefined;
  if (issuer.kind === 'vneid') {
    const idNumber = issuer.idNumberClaim ? payload[issuer.idNumberClaim] : undefined;
    return {
      sub,
      role: 'citizen',
      exp,
      ...(typeof idNumber === 'string' && ID_NUMBER.test(idNumber) ? { idNumber } : {}),
    };
  }
  const role = payload.role;
  // Kiosks are devices with tokens of their own issuer (the device authorizer), never pool users.
  if (!isRole(role) || role === 'kiosk') return undefined;
  const out: Record<string, string | number> = { sub, role, exp };
  for (const k of ['ward', 'residentialGroup', 'idNumber', 'name', 'title'] as const) {
    const v = text(payload[k], 120);
    if (v) out[k] = v;
  }
  return out;
}

/** The issuer whose `iss` the token names, if the API trusts it. */
export const trustedIssuer = (issuers: readonly TrustedIssuer[], iss: unknown): TrustedIssuer | undefined =>
  typeof iss === 'string' ? issuers.find((i) => i.issuer === iss) : undefined;
