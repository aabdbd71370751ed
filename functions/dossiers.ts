/** Dossier routes: submit, list, read, history, transitions, withdraw, feedback. */
import * as z from 'zod';
import { isStaff } from '#shared/auth.ts';
import { historyView } from '#shared/forms/dossier-forms.ts';
import {
  dossierView,
  listDossiers,
  submitDossier,
  submitSchema,
  transitionDossier,
  transitionSchema,
  visibleDossier,
  visibleDossierWithHistory,
  withdrawDossier,
  withdrawSchema,
} from '#shared/use-cases/dossiers.ts';
import { extendDossier, extensionSchema } from '#shared/use-cases/extension.ts';
import { feedbackSchema, giveFeedback } from '#shared/use-cases/feedback.ts';
import { dossierDeps, dossierRepository, portalSyncStore, wardDirectory } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

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

const _created = (d: {
  id: string;
  code: string;
  status: number;
  version: number;
  appointmentAt?: string;
  dueAt?: string;
}) => ({
  id: d.id,
  code: d.code,
  status: d.status,
  version: d.version,
  ...(d.appointmentAt ? { appointmentAt: d.appointmentAt } : {}),
  ...(d.dueAt ? { dueAt: d.dueAt } : {}),
});

export const handler = httpApi('dossiers', {
  'POST /v1/dossiers': async (req) => {
    const input = submitSchema.parse(req.body);
    const d = await submitDossier(
      { ...dossierDeps(), wards: wardDirectory() },
      req.principal,
      input,
      req.correlationId,
    );
    return json(201, dossierView(d, now()));
  },
  'GET /v1/dossiers': async (req) => {
    const q = listQuerySchema.parse(req.query);
    const page = await listDossiers({ ...dossierDeps(), dossiers: dossierRepository() }, req.principal, {
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
    const p = req.principal;
    const id = req.params.dossierId;
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
    const { history } = await visibleDossierWithHistory(deps, req.principal, req.params.dossierId);
    return json(200, { items: historyView(history) });
  },
  'POST /v1/dossiers/{dossierId}/transitions': async (req) => {
    const id = req.params.dossierId;
    const input = transitionSchema.parse(req.body);
    const d = await transitionDossier(dossierDeps(), req.principal, id, input, req.correlationId);
    return json(200, dossierView(d, now()));
  },
  'POST /v1/dossiers/{dossierId}/withdraw': async (req) => {
    const id = req.params.dossierId;
    const input = withdrawSchema.parse(req.body ?? {});
    return json(
      200,
      dossierView(await withdrawDossier(dossierDeps(), req.principal, id, input, req.correlationId), now()),
    );
  },
  'POST /v1/dossiers/{dossierId}/extension': async (req) => {
    const id = req.params.dossierId;
    const input = extensionSchema.parse(req.body);
    return json(
      200,
      dossierView(await extendDossier(dossierDeps(), req.principal, id, input, req.correlationId), now()),
    );
  },
  'POST /v1/dossiers/{dossierId}/feedback': async (req) => {
    const id = req.params.dossierId;
    const input = feedbackSchema.parse(req.body);
    return json(
      200,
      dossierView(await giveFeedback(dossierDeps(), req.principal, id, input, req.correlationId), now()),
    );
  },
});
