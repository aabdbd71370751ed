/** OpenAPI entries of the queue routes (see functions/lib/openapi.ts). */
import type { RouteDoc } from '../lib/openapi.ts';

export const queueDocs: Record<string, RouteDoc> = {};
