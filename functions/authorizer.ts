/**
 * The API's Lambda authorizer (HTTP API, payload 2.0, simple responses, cached per token): verifies
 * the bearer token against the trusted issuers — the staff user pool and VNeID, directly — and hands
 * the verified claims to the handlers as `requestContext.authorizer.lambda`.
 *
 * It never denies: a request without a token is refused by API Gateway itself (401, the identity
 * source is missing); a token it does not trust passes with no claims, and the handler's chain
 * answers 401 UNAUTHORIZED with the API's own error body (a simple response's deny would be a bare
 * 403, against the contract). The route's roles are checked by the handler chain either way.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { VerifiedClaims } from '#shared/token-claims.ts';
import { ENV } from '#wiring/definitions.ts';
import { once, requiredEnv } from './adapters/client-config.ts';
import { parseTrustedIssuers, tokenVerifier } from './adapters/token-verifier.ts';

const verifier = once(() => tokenVerifier(parseTrustedIssuers(requiredEnv(ENV.trustedIssuers))));

export const handler = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<VerifiedClaims>> => {
  const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const claims = token ? await verifier().verify(token) : undefined;
  return { isAuthorized: true, context: claims ?? {} };
};
