/**
 * Public status lookup (tra cứu hồ sơ) by code and the last 4 digits of the applicant's phone.
 * Shows what the receipt shows and nothing more; a wrong second factor looks like an unknown code.
 */

import { STATUS_NAME_VI } from '#shared/dossier.ts';
import { NotFoundError } from '#shared/errors.ts';
import { maskName } from '#shared/signing.ts';
import { isOverdue } from '#shared/use-cases/dossiers.ts';
import { dossierDeps } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

const CODE = /^[A-Z0-9.]{1,20}-\d{8}-\d{1,8}$/;

export const handler = httpApi({
  'GET /v1/lookup/{dossierCode}': async ({ params, query }) => {
    const code = params.dossierCode ?? '';
    const phone = query.phone ?? '';
    const notFound = new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
    if (!CODE.test(code) || !/^\d{4}$/.test(phone)) throw notFound;
    const deps = dossierDeps();
    const d = await deps.dossiers.getByCode(code);
    if (!d?.applicant.phone.endsWith(phone)) throw notFound;
    return json(200, {
      code: d.code,
      procedureName: d.procedureName,
      applicant: maskName(d.applicant.fullName),
      status: d.status,
      statusName: STATUS_NAME_VI[d.status],
      submittedAt: d.submittedAt,
      ...(d.appointmentAt ? { appointmentAt: d.appointmentAt } : {}),
      ...(d.endedAt ? { endedAt: d.endedAt } : {}),
      overdue: isOverdue(d, deps.clock.now()),
    });
  },
});
