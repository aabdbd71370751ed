/** OpenAPI entries of the reports routes (see functions/lib/openapi.ts). */
import type { RouteDoc } from '../lib/openapi.ts';

export const reportsDocs: Record<string, RouteDoc> = {};
