/** Procedure catalog routes: public reads, the admin upsert, a QR code per procedure. */

import * as z from 'zod';
import { slug } from '#shared/api/zod.ts';
import { type Procedure, procedureInputSchema } from '#shared/catalog.ts';
import { NotFoundError } from '#shared/errors.ts';
import { qrSvg } from '#shared/forms/qr.ts';
import { systemClock } from '#shared/ports.ts';
import { upsertProcedure } from '#shared/use-cases/catalog.ts';
import { procedureLink } from './lib/config.ts';
import { dossierDeps, wardDirectory } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

const listQuery = z.object({
  ward: slug,
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(2000).optional(),
});

async function found(id: string): Promise<Procedure> {
  const p = await dossierDeps().catalog.get(id);
  if (!p) throw new NotFoundError('Thủ tục', 'PROCEDURE_NOT_FOUND');
  return p;
}

export const handler = httpApi('catalog', {
  'GET /v1/procedures': async ({ query }) => {
    const q = listQuery.parse(query);
    if (!(await wardDirectory().get(q.ward))) throw new NotFoundError('Phường/xã', 'WARD_NOT_FOUND');
    const page = await dossierDeps().catalog.listByWard(q.ward, {
      limit: q.limit,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return json(200, page);
  },
  'GET /v1/procedures/{procedureId}': async ({ params }) => json(200, await found(params.procedureId)),
  'GET /v1/procedures/{procedureId}/qr.svg': async ({ params }) => {
    const p = await found(params.procedureId);
    const svg = await qrSvg(procedureLink(p));
    return {
      status: 200,
      raw: svg,
      headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600' },
    };
  },
  'PUT /v1/admin/procedures/{procedureId}': async ({ params, body, principal }) => {
    const id = params.procedureId;
    const input = procedureInputSchema.parse(body);
    // Stamped with the system's clock (never the local runtime's shifted one), as before. The catalog
    // through the dossier deps, as before (see functions/wards.ts: the table's UpdateItem grant).
    const deps = { catalog: dossierDeps().catalog, wards: wardDirectory(), clock: systemClock };
    const { procedure, created } = await upsertProcedure(deps, principal, id, input);
    return json(created ? 201 : 200, procedure);
  },
});
