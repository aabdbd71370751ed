/** OpenAPI entries of the procedure catalog and the working calendar (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { slug } from '#shared/api/zod.ts';
import { calendarYearSchema } from '#shared/calendar-schema.ts';
import { procedureInputSchema } from '#shared/catalog.ts';
import { listOf, type RouteDocs } from './route-doc.ts';

/**
 * A stored procedure as the catalog routes answer it: the input and its stamps. Named through
 * `.openapi()`, so that the document shows it as the input `allOf` the stamps; on a copy made here
 * (`extend({})`), as an instance zod built before the extension was installed (the local runtime
 * loads the handlers first) has no `.openapi()`.
 */
const procedureSchema = procedureInputSchema
  .extend({})
  .openapi('ProcedureInput')
  .extend({ id: slug, ward: slug, version: z.number().int(), updatedAt: z.string() })
  .openapi('Procedure');

export const catalogDocs = {
  'GET /v1/procedures': {
    summary: "A ward's procedure catalog (danh mục TTHC)",
    query: z.object({ ward: z.string(), limit: z.number().optional(), cursor: z.string().optional() }),
    response: listOf(procedureSchema),
  },
  'GET /v1/procedures/{procedureId}': { summary: 'One procedure', response: procedureSchema },
  'GET /v1/procedures/{procedureId}/qr.svg': {
    summary: "QR code of the procedure's public page",
    contentType: 'image/svg+xml',
  },
  'PUT /v1/admin/procedures/{procedureId}': {
    summary: 'Upsert a catalog entry',
    body: procedureInputSchema,
    response: procedureSchema,
  },
  'GET /v1/admin/calendar/{year}': { summary: "The ward's working calendar for a year" },
  'PUT /v1/admin/calendar/{year}': {
    summary: 'Set holidays, compensatory working days, hours',
    body: calendarYearSchema,
  },
  'GET /v1/calendar/{ward}/add': {
    summary: 'The moment H working hours after `from` (after-hours `from` rolls to the next working morning)',
    query: z.object({ from: z.string(), hours: z.number() }),
    response: z.object({ from: z.string(), hours: z.number(), due: z.string() }),
  },
} satisfies RouteDocs<'catalog' | 'calendar'>;
