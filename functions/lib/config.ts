/** Configuration read once from the environment. */
import { ENV } from '#infra/definitions.ts';

/** Where public links (QR codes, lookup, pay pages) point: the API's own base URL. */
export const publicBaseUrl = (): string =>
  (process.env[ENV.publicBaseUrl] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
