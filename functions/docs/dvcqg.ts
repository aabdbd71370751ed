/** OpenAPI entries of the national portal sync routes (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { unsyncedQuerySchema } from '#shared/dvcqg/unsynced-query.ts';
import type { RouteDocs } from './route-doc.ts';

const unsyncedSchema = z
  .object({
    items: z.array(
      z.object({
        dossierId: z.string(),
        code: z.string(),
        wanted: z.number().int().openapi({ description: 'The dossier version waiting to reach the portal' }),
        portalSync: z.object({
          version: z.number().int().openapi({ description: 'Last dossier version the portal acknowledged (0: none)' }),
          at: z.string().optional(),
        }),
        pendingSince: z.string().optional(),
        lastError: z.string().optional(),
        lastErrorAt: z.string().optional(),
      }),
    ),
    next: z.string().optional(),
  })
  .openapi('DvcqgUnsynced');

export const dvcqgDocs = {
  'GET /v1/admin/dvcqg/unsynced': {
    summary:
      "The ward's dossiers whose last change the National Public Service Portal (DVCQG) may not have: a sync " +
      'that failed, was retried or waits on another, oldest first, with the last error; the reconciliation ' +
      '(every minute) sends them again. A first sync still under way is not listed.',
    query: unsyncedQuerySchema,
    response: unsyncedSchema,
  },
  'POST /local/sandbox/dvcqg/auth': {
    summary: "The sandbox portal's login: `{username, password}` -> `{session, error_code: 0}`",
  },
  'POST /local/sandbox/dvcqg/sync': {
    summary:
      "The sandbox portal's service endpoint: `{session, madonvi, service: DongBoHoSoMC | CapNhatTienDoHoSoMC | " +
      'TraCuuHoSo, ...}` -> `{error_code: "00"}`',
  },
  'GET /local/sandbox/dvcqg/dossiers/{code}': {
    summary: 'What the sandbox portal received for a dossier code (MaHoSo), in arrival order',
  },
  'POST /local/sandbox/dvcqg/faults': {
    summary:
      'Makes the sandbox portal fail: `{downForS?, failOneIn?, dropSession?, delayMs?}` (down N seconds: 503; ' +
      'one call in K answers error_code "99"; forget the sessions; answer late); `{}` clears them',
  },
} satisfies RouteDocs<'dvcqg-admin' | 'local'>;
