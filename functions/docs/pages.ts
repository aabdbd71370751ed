/** OpenAPI entries of the public HTML pages (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import type { RouteDocs } from './route-doc.ts';

const HTML = 'text/html';
const period = z.object({
  from: z.string().optional().openapi({ description: 'YYYY-MM-DD; default: the first day of the month 5 months ago' }),
  to: z.string().optional().openapi({ description: 'YYYY-MM-DD; default: today' }),
  format: z.enum(['html', 'csv']).optional().openapi({ description: 'csv: the tables by month and by procedure' }),
});

export const pagesDocs = {
  'GET /p/{ward}/thu-tuc/{procedureId}': {
    summary:
      "HTML: the procedure's public page (what its QR opens): documents, fee, deadline, channels, where to submit, the process drawn, how to submit online",
    contentType: HTML,
  },
  'GET /p/tra-cuu/{dossierCode}': {
    summary:
      "HTML: a dossier's status page (what the receipt's QR opens); shows status, appointment and steps after the last 4 phone digits",
    query: z.object({ phone: z.string().optional().openapi({ description: 'Last 4 digits of the applicant phone' }) }),
    contentType: HTML,
    moreErrors: [429],
  },
  'GET /p/{ward}/bang-goi-so/{point}': {
    summary: "HTML: the receiving point's number board for its TV; follows GET /v1/queue/board by itself",
    contentType: HTML,
  },
  'GET /p/{ward}/cong-khai': {
    summary: "HTML: the ward's transparency page, Decision 766 indicators by month and by procedure with charts",
    query: period,
    contentType: HTML,
  },
  'GET /p/assets/{asset}': { summary: "The pages' own script (bang-goi-so.js)", contentType: 'text/javascript' },
} satisfies RouteDocs<'pages'>;
