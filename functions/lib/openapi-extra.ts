/** OpenAPI entries of the routes added by later features (payments, scans, queue, reports). */
import type { RouteDoc } from './openapi.ts';

export const extraDocs: Record<string, RouteDoc> = {};
