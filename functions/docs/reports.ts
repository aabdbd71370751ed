/** OpenAPI entries of the reports routes (see functions/lib/openapi.ts). */
import * as z from 'zod';
import '#shared/api/zod.ts';
import type { RouteDoc } from '../lib/openapi.ts';

export const reportsDocs: Record<string, RouteDoc> = {
  'GET /v1/reports': {
    summary:
      "The ward's Decision 766 indicators for a period (JSON or CSV); by=residentialGroup adds " +
      'residentialGroups: [{ residentialGroup, name, received, assisted, online, onlineRate }] (the CSV is then those rows)',
    query: z.object({
      from: z.string().openapi({ example: '2026-07-01' }),
      to: z.string().openapi({ example: '2026-09-30' }),
      procedureId: z.string().optional(),
      format: z.enum(['json', 'csv']).optional(),
      by: z.enum(['residentialGroup']).optional(),
    }),
  },
};
