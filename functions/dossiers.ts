/** Dossier routes: submit, list, read, history, transitions, withdraw, feedback. */
import * as z from 'zod';
import '#shared/api/zod.ts';
import { isStaff } from '#shared/auth.ts';
import { isDossierId } from '#shared/dossier.ts';
import { NotFoundError } from '#shared/errors.ts';
import { historyView } from '#shared/forms/dossier-forms.ts';
import {
  dossierView,
  listDossiers,
  submitDossier,
  submitSchema,
  transitionDossier,
  transitionSchema,
  visibleDossier,
  withdrawDossier,
  withdrawSchema,
} from '#shared/use-cases/dossiers.ts';
import { extendDossier, extensionSchema } from '#shared/use-cases/extension.ts';
import { feedbackSchema, giveFeedback } from '#shared/use-cases/feedback.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { DynamoPortalSyncStore } from './adapters/dynamo-portal-sync.ts';
import { dossierDeps, dossierRepository, wardDirectory } from './lib/deps.ts';
import { type HttpRequest, httpApi, json } from './lib/http.ts';

export const listQuerySchema = z.object({
  status: z.coerce.number().int().min(1).max(10).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueSoon: z.enum(['true', 'false']).optional(),
  procedureId: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2000).optional(),
});

const now = () => dossierDeps().clock.now();

let syncStore: DynamoPortalSyncStore | undefined;
const portalSyncStore = () => {
  syncStore ??= new DynamoPortalSyncStore(dynamo(), tableName());
  return syncStore;
};

/** A malformed id cannot name a dossier the caller may see: 404, like any other. */
function dossierId(req: HttpRequest): string {
  const id = req.params.dossierId ?? '';
  if (!isDossierId(id)) throw new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
  return id;
}

const principal = (req: HttpRequest) => {
  if (!req.principal) throw new Error('route without a principal');
  return req.principal;
};

export const handler = httpApi({
  'POST /v1/dossiers': async (req) => {
    const input = submitSchema.parse(req.body);
    const d = await submitDossier(
      { ...dossierDeps(), wards: wardDirectory() },
      principal(req),
      input,
      req.correlationId,
    );
    return json(201, dossierView(d, now()));
  },
  'GET /v1/dossiers': async (req) => {
    const q = listQuerySchema.parse(req.query);
    const page = await listDossiers({ ...dossierDeps(), dossiers: dossierRepository() }, principal(req), {
      limit: q.limit,
      ...(q.status ? { status: q.status as 1 } : {}),
      ...(q.dueBefore ? { dueBefore: new Date(q.dueBefore).toISOString() } : {}),
      ...(q.overdue === 'true' ? { overdue: true } : {}),
      ...(q.dueSoon === 'true' ? { dueSoon: true } : {}),
      ...(q.procedureId ? { procedureId: q.procedureId } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return json(200, {
      items: page.items.map((d) => dossierView(d, now())),
      ...(page.next ? { next: page.next } : {}),
    });
  },
  'GET /v1/dossiers/{dossierId}': async (req) => {
    const p = principal(req);
    const id = dossierId(req);
    // Staff also see whether the national portal has the last change (read beside the dossier).
    const [d, sync] = await Promise.all([
      visibleDossier(dossierDeps(), p, id),
      isStaff(p) ? portalSyncStore().get(id) : undefined,
    ]);
    const view = dossierView(d, now());
    if (!isStaff(p)) return json(200, view);
    const portalSync = {
      version: sync?.version ?? 0,
      ...(sync?.at ? { at: sync.at } : {}),
      synced: (sync?.version ?? 0) >= d.version,
    };
    return json(200, { ...view, portalSync });
  },
  'GET /v1/dossiers/{dossierId}/history': async (req) => {
    const deps = dossierDeps();
    const d = await visibleDossier(deps, principal(req), dossierId(req));
    return json(200, { items: historyView(await deps.dossiers.history(d.id)) });
  },
  'POST /v1/dossiers/{dossierId}/transitions': async (req) => {
    const id = dossierId(req);
    const input = transitionSchema.parse(req.body);
    const d = await transitionDossier(dossierDeps(), principal(req), id, input, req.correlationId);
    return json(200, dossierView(d, now()));
  },
  'POST /v1/dossiers/{dossierId}/withdraw': async (req) => {
    const id = dossierId(req);
    const input = withdrawSchema.parse(req.body ?? {});
    return json(
      200,
      dossierView(await withdrawDossier(dossierDeps(), principal(req), id, input, req.correlationId), now()),
    );
  },
  'POST /v1/dossiers/{dossierId}/extension': async (req) => {
    const id = dossierId(req);
    const input = extensionSchema.parse(req.body);
    return json(
      200,
      dossierView(await extendDossier(dossierDeps(), principal(req), id, input, req.correlationId), now()),
    );
  },
  'POST /v1/dossiers/{dossierId}/feedback': async (req) => {
    const id = dossierId(req);
    const input = feedbackSchema.parse(req.body);
    return json(
      200,
      dossierView(await giveFeedback(dossierDeps(), principal(req), id, input, req.correlationId), now()),
    );
  },
});
