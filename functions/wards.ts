/** Ward routes: the province adds or changes wards; a ward's admin keeps its residential groups. */
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { putResidentialGroups, putWard, residentialGroupsOf } from '#shared/use-cases/wards.ts';
import { residentialGroupsInputSchema, wardId, wardInputSchema } from '#shared/ward-directory.ts';
import { dossierDeps, wardDirectory } from './lib/deps.ts';
import { type HttpRequest, httpApi, json } from './lib/http.ts';

// Through the dossier deps, as before: taking the catalog alone would leave the table's
// UpdateItem (granted with every `readwrite`) unreachable from this bundle (least-privilege test).
const deps = () => ({ wards: wardDirectory(), catalog: dossierDeps().catalog, clock: dossierDeps().clock });

const wardParam = (req: HttpRequest): string => {
  const r = wardId.safeParse(req.params.ward);
  if (!r.success) throw new NotFoundError('Phường/xã', 'WARD_NOT_FOUND');
  return r.data;
};

export const handler = httpApi('wards', {
  'GET /v1/wards/{ward}/residential-groups': async (req) =>
    json(200, await residentialGroupsOf(deps(), wardParam(req)), { 'cache-control': 'public, max-age=60' }),
  'PUT /v1/admin/residential-groups': async (req) => {
    // An admin without a ward is refused before the body is looked at.
    if (!req.principal.ward) throw new ForbiddenError();
    const input = residentialGroupsInputSchema.parse(req.body);
    return json(200, await putResidentialGroups(deps(), req.principal, input));
  },
  'PUT /v1/province/wards/{ward}': async (req) => {
    const ward = wardParam(req);
    const input = wardInputSchema.parse(req.body);
    const out = await putWard(deps(), req.principal, ward, input);
    return json(out.created ? 201 : 200, { ...out.ward, copiedProcedures: out.copiedProcedures });
  },
  'GET /v1/province/wards': async () => json(200, { items: await wardDirectory().list() }),
});
