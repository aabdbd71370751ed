/** OpenAPI entries of the second-wave law routes: the extension (form 04) and the register (form 07). */
import * as z from 'zod';
import './zod-openapi.ts';
import { extensionSchema } from '#shared/use-cases/extension.ts';
import type { RouteDocs } from './route-doc.ts';

export const lawDocs = {
  'POST /v1/dossiers/{dossierId}/extension': {
    summary:
      'Apology and extension (form 04): before the deadline, once per dossier (a second is 409 ALREADY_EXTENDED); the dossier is still judged against its original deadline',
    body: extensionSchema,
    moreErrors: [409, 422],
  },
  'GET /v1/registers': {
    summary: 'The register of a period (form 07, Sổ theo dõi hồ sơ) as PDF or CSV (cells neutralised for spreadsheets)',
    query: z.object({ from: z.string(), to: z.string(), format: z.enum(['pdf', 'csv']).optional() }),
    contentType: 'application/pdf',
  },
} satisfies RouteDocs<'dossiers' | 'forms'>;
