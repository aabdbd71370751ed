/** OpenAPI entries of the documents routes (see functions/lib/openapi.ts). */
import type { RouteDoc } from '../lib/openapi.ts';

export const documentsDocs: Record<string, RouteDoc> = {};
