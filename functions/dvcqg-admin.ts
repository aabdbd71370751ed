/** Operators: a ward's dossiers whose last change the national portal has not acknowledged yet. */

import { unsyncedQuerySchema } from '#shared/dvcqg/unsynced-query.ts';
import { ForbiddenError } from '#shared/errors.ts';
import { portalSyncStore } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

export const handler = httpApi('dvcqg-admin', {
  'GET /v1/admin/dvcqg/unsynced': async (req) => {
    const ward = req.principal.ward;
    if (!ward) throw new ForbiddenError();
    const q = unsyncedQuerySchema.parse(req.query);
    const page = await portalSyncStore().listPending(ward, {
      limit: q.limit,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return json(200, {
      items: page.items.map((s) => ({
        dossierId: s.dossierId,
        code: s.code,
        wanted: s.wanted,
        portalSync: { version: s.version, ...(s.at ? { at: s.at } : {}) },
        ...(s.pendingSince ? { pendingSince: s.pendingSince } : {}),
        ...(s.lastError ? { lastError: s.lastError, lastErrorAt: s.lastErrorAt } : {}),
      })),
      ...(page.next ? { next: page.next } : {}),
    });
  },
});
