/**
 * Kiosk devices (ki-ốt): an admin registers, lists and revokes the ward's kiosks; a kiosk exchanges
 * its client id and secret for a short-lived token (OAuth 2.0 client credentials); the issuer's
 * discovery document and keys, which the cloud's device JWT authorizer reads.
 */

import { NotFoundError } from '#shared/errors.ts';
import {
  exchangeKioskCredentials,
  listKiosks,
  registerKiosk,
  revokeKiosk,
  tokenRequestSchema,
} from '#shared/use-cases/kiosks.ts';
import { ENV } from '#wiring/definitions.ts';
import { DEVICE_TOKEN_ENV, KmsDeviceTokenIssuer, localPublicJwk } from './adapters/device-tokens.ts';
import { kioskDeps } from './lib/deps.ts';
import { type HttpRequest, httpApi, json } from './lib/http.ts';

/** Client id and secret from HTTP Basic (preferred by RFC 6749) or the JSON body. */
function credentials(req: HttpRequest): { id?: string; secret?: string } {
  const form = tokenRequestSchema.parse(req.body ?? {});
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const [id, ...rest] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) };
  }
  return {
    ...(form.client_id ? { id: form.client_id } : {}),
    ...(form.client_secret ? { secret: form.client_secret } : {}),
  };
}

const issuerUrl = () => process.env[DEVICE_TOKEN_ENV.issuer] ?? process.env[ENV.publicBaseUrl] ?? '';

export const handler = httpApi('kiosks', {
  'POST /v1/admin/kiosks': async (req) => json(201, await registerKiosk(kioskDeps(), req.principal, req.body)),
  'GET /v1/admin/kiosks': async (req) => json(200, { items: await listKiosks(kioskDeps(), req.principal) }),
  'DELETE /v1/admin/kiosks/{kioskId}': async (req) =>
    json(200, await revokeKiosk(kioskDeps(), req.principal, req.params.kioskId)),
  'POST /v1/kiosk/token': async (req) => {
    const c = credentials(req);
    return json(200, await exchangeKioskCredentials(kioskDeps(), c.id, c.secret), { 'cache-control': 'no-store' });
  },
  'GET /.well-known/openid-configuration': async () => {
    const iss = issuerUrl();
    return json(200, {
      issuer: iss,
      jwks_uri: `${iss}/.well-known/jwks.json`,
      token_endpoint: `${iss}/v1/kiosk/token`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    });
  },
  'GET /.well-known/jwks.json': async () => {
    const tokens = kioskDeps().tokens;
    if (tokens instanceof KmsDeviceTokenIssuer) return json(200, { keys: [await tokens.jwk()] });
    if (process.env[ENV.local]) return json(200, { keys: [localPublicJwk()] });
    throw new NotFoundError('Khóa', 'JWKS_NOT_FOUND');
  },
});
