/** Configuration read once from the environment. */

import { publicLink } from '#shared/links.ts';
import { ENV } from '#wiring/definitions.ts';

/** Where public links (QR codes, lookup, pay pages) point: the API's own base URL. */
export const publicBaseUrl = (): string =>
  (process.env[ENV.publicBaseUrl] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

/**
 * Where payment gateways call back (the IPN routes): CALLBACK_BASE_URL, apart from the public base
 * URL (which may be a front end's domain); the API's own endpoint when unset.
 */
export const callbackBaseUrl = (): string =>
  (process.env[ENV.callbackBaseUrl] || process.env[ENV.apiEndpoint] || publicBaseUrl()).replace(/\/$/, '');

/** What a procedure's QR code opens: the portal's page if PROCEDURE_PAGE_URL is set, else our procedure page. */
export const procedureLink = (p: { readonly id: string; readonly ward: string }): string =>
  publicLink(
    'procedure',
    process.env[ENV.procedurePageUrl],
    p.id,
    `${publicBaseUrl()}/p/${encodeURIComponent(p.ward)}/thu-tuc/${encodeURIComponent(p.id)}`,
  );

/** What a receipt's QR code opens: the portal's status page if DOSSIER_PAGE_URL is set, else our status page. */
export const dossierLink = (code: string): string =>
  publicLink(
    'dossier',
    process.env[ENV.dossierPageUrl],
    code,
    `${publicBaseUrl()}/p/tra-cuu/${encodeURIComponent(code)}`,
  );
