/** OpenAPI entries of the payments routes (see functions/lib/openapi.ts). */
import type { RouteDoc } from '../lib/openapi.ts';

export const paymentsDocs: Record<string, RouteDoc> = {};
