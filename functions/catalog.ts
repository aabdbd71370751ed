/** Procedure catalog routes: public reads, the admin upsert, a QR code per procedure. */

import * as z from 'zod';
import { slug } from '#shared/api/zod.ts';
import { type Procedure, procedureInputSchema } from '#shared/catalog.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
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

const idParam = (params: Record<string, string>): string => {
  const r = slug.safeParse(params.procedureId);
  if (!r.success) throw new NotFoundError('Thủ tục', 'PROCEDURE_NOT_FOUND');
  return r.data;
};

async function found(id: string): Promise<Procedure> {
  const p = await dossierDeps().catalog.get(id);
  if (!p) throw new NotFoundError('Thủ tục', 'PROCEDURE_NOT_FOUND');
  return p;
}

export const handler = httpApi({
  'GET /v1/procedures': async ({ query }) => {
    const q = listQuery.parse(query);
    if (!(await wardDirectory().get(q.ward))) throw new NotFoundError('Phường/xã', 'WARD_NOT_FOUND');
    const page = await dossierDeps().catalog.listByWard(q.ward, {
      limit: q.limit,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return json(200, page);
  },
  'GET /v1/procedures/{procedureId}': async ({ params }) => json(200, await found(idParam(params))),
  'GET /v1/procedures/{procedureId}/qr.svg': async ({ params }) => {
    const p = await found(idParam(params));
    const svg = await qrSvg(procedureLink(p));
    return {
      status: 200,
      raw: svg,
      headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600' },
    };
  },
  'PUT /v1/admin/procedures/{procedureId}': async ({ params, body, principal }) => {
    const idCheck = slug.safeParse(params.procedureId);
    if (!idCheck.success) throw new ValidationError('Mã thủ tục không hợp lệ.', undefined, 'INVALID_PROCEDURE_ID');
    const input = procedureInputSchema.parse(body);
    const ward = input.ward ?? principal?.ward;
    if (!ward || ward !== principal?.ward)
      throw new ForbiddenError('Chỉ quản trị viên của phường được sửa danh mục.', 'OTHER_WARD');
    // Another ward's id space (`<ward>-…`) is refused; any other id belongs to the first ward that takes it.
    assertProcedureIdOfWard(
      idCheck.data,
      ward,
      (await wardDirectory().list()).map((w) => w.id),
    );
    const repo = dossierDeps().catalog;
    const current = await repo.get(idCheck.data);
    if (current && current.ward !== ward) throw new ForbiddenError('Thủ tục thuộc phường/xã khác.', 'OTHER_WARD');
    const next: Procedure = {
      ...input,
      id: idCheck.data,
      ward,
      version: (current?.version ?? 0) + 1,
      updatedAt: new Date().toISOString(),
    };
    await repo.put(next, current?.version);
    return json(current ? 200 : 201, next);
  },
});
