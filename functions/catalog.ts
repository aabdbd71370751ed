/** Procedure catalog routes: public reads, the admin upsert, a QR code per procedure. */

import * as z from 'zod';
import { slug } from '#shared/api/zod.ts';
import { type Procedure, procedureInputSchema } from '#shared/catalog.ts';
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { qrSvg } from '#shared/forms/qr.ts';
import { assertProcedureIdOfWard } from '#shared/procedure-ids.ts';
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
    const ward = input.ward ?? principal.ward;
    if (!ward || ward !== principal.ward)
      throw new ForbiddenError('Chỉ quản trị viên của phường được sửa danh mục.', 'OTHER_WARD');
    // Another ward's id space (`<ward>-…`) is refused; any other id belongs to the first ward that takes it.
    assertProcedureIdOfWard(
      id,
      ward,
      (await wardDirectory().list()).map((w) => w.id),
    );
    const repo = dossierDeps().catalog;
    const current = await repo.get(id);
    if (current && current.ward !== ward) throw new ForbiddenError('Thủ tục thuộc phường/xã khác.', 'OTHER_WARD');
    const next: Procedure = {
      ...input,
      id: id,
      ward,
      version: (current?.version ?? 0) + 1,
      updatedAt: new Date().toISOString(),
    };
    await repo.put(next, current?.version);
    return json(current ? 200 : 201, next);
  },
});
