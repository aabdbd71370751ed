/** OpenAPI entries of the kiosk device routes (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { KIOSK_TOKEN_TTL_S, registerKioskSchema, tokenRequestSchema } from '#shared/use-cases/kiosks.ts';
import type { RouteDocs } from './route-doc.ts';

const kioskSchema = z
  .object({
    id: z.string(),
    clientId: z.string().openapi({ example: 'kiosk-5f0c2a9e41d3b7a8c6e1f204' }),
    ward: z.string(),
    point: z.string(),
    name: z.string(),
    status: z.enum(['active', 'revoked']),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().optional(),
    revokedBy: z.string().optional(),
  })
  .openapi('Kiosk');

const tokenSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().openapi({ example: KIOSK_TOKEN_TTL_S }),
  })
  .openapi('KioskToken');

export const kiosksDocs = {
  'POST /v1/admin/kiosks': {
    summary:
      "Registers a kiosk device at one of the admin's ward's receiving points. The answer holds `clientSecret`, shown " +
      'this once and stored only as a hash: configure the kiosk with clientId and clientSecret.',
    body: registerKioskSchema,
    response: kioskSchema.extend({ clientSecret: z.string() }),
    status: 201,
  },
  'GET /v1/admin/kiosks': {
    summary: "The ward's kiosks, active and revoked (no secrets)",
    response: z.object({ items: z.array(kioskSchema) }),
  },
  'DELETE /v1/admin/kiosks/{kioskId}': {
    summary:
      `Revokes a kiosk: its credentials stop working at once; a token it already holds dies at its expiry (${KIOSK_TOKEN_TTL_S} s at most). ` +
      "Another ward's kiosk is 404.",
    response: kioskSchema,
  },
  'POST /v1/kiosk/token': {
    summary:
      'OAuth 2.0 client credentials grant for kiosk devices: `application/x-www-form-urlencoded` body ' +
      '`grant_type=client_credentials` with the client id and secret in HTTP Basic (or as `client_id`, `client_secret`). ' +
      `Answers a Bearer token (role kiosk, the kiosk's ward and point) valid ${KIOSK_TOKEN_TTL_S} s; unknown, wrong or revoked: 401 INVALID_CLIENT. Rate-limited per IP.`,
    body: tokenRequestSchema,
    response: tokenSchema,
    moreErrors: [429],
  },
  'GET /.well-known/openid-configuration': {
    summary: "Discovery document of the kiosk tokens' issuer (read by the cloud's device JWT authorizer)",
  },
  'GET /.well-known/jwks.json': { summary: 'The public key(s) that verify kiosk tokens' },
} satisfies RouteDocs<'kiosks'>;
