/** Forms 01-06 of Circular 03/2025 (Appendix I) as PDF, for the owner and staff of the ward. */

import type { HistoryEntry } from '#shared/dossier.ts';
import { type Dossier, STATUS } from '#shared/dossier.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { type FormData, type FormId, isFormId, renderForm } from '#shared/forms/render.ts';
import { RESULT_COMPONENT_ID } from '#shared/scans.ts';
import { isOverdue, visibleDossier } from '#shared/use-cases/dossiers.ts';
import { wardById } from '#shared/wards.ts';
import { dossierLink } from './lib/config.ts';
import { dossierDeps } from './lib/deps.ts';
import { httpApi } from './lib/http.ts';
import { receiptRoutes } from './receipts-routes.ts';

const lastReason = (h: readonly HistoryEntry[], to: number): string | undefined =>
  [...h].reverse().find((e) => e.to === to)?.reason;

/** Which forms a dossier has reached: a refusal slip only for a refused dossier, and so on. */
function available(form: FormId, d: Dossier, h: readonly HistoryEntry[], now: Date): boolean {
  switch (form) {
    case '02':
      return h.some((e) => e.to === STATUS.SUPPLEMENT);
    case '03':
      return d.status === STATUS.REFUSED;
    case '04':
      return isOverdue(d, now);
    case '05':
      return d.status === STATUS.STOPPED;
    default:
      return true;
  }
}

export const handler = httpApi({
  ...receiptRoutes,
  'GET /v1/dossiers/{dossierId}/forms/{form}': async (req) => {
    const form = (req.params.form ?? '').replace(/\.pdf$/i, '');
    if (!isFormId(form)) throw new NotFoundError('Biểu mẫu', 'FORM_NOT_FOUND');
    if (!req.principal) throw new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
    const deps = dossierDeps();
    const d = await visibleDossier(deps, req.principal, req.params.dossierId ?? '');
    const history = await deps.dossiers.history(d.id);
    const now = deps.clock.now();
    if (!available(form, d, history, now)) {
      throw new ConflictError('FORM_NOT_APPLICABLE', 'Hồ sơ ở trạng thái này không có biểu mẫu được yêu cầu.');
    }
    const ward = wardById(d.ward);
    const data: FormData = {
      ward: { name: ward?.name ?? d.ward, unitCode: ward?.unitCode ?? '', ...(ward ? { address: ward.address } : {}) },
      dossier: {
        code: d.code,
        procedureName: d.procedureName,
        channel: d.channel,
        status: d.status,
        components: d.components.filter((c) => c.id !== RESULT_COMPONENT_ID).map((c) => ({ name: c.name })),
        ...(d.acceptedAt ? { receivedAt: d.acceptedAt } : { receivedAt: d.submittedAt }),
        ...(d.appointmentAt ? { appointmentAt: d.appointmentAt } : {}),
      },
      applicant: {
        fullName: d.applicant.fullName,
        phone: d.applicant.phone,
        ...(d.applicant.address ? { address: d.applicant.address } : {}),
        idNumber: d.applicant.idNumber,
      },
      ...(form === '02' || form === '03' || form === '05'
        ? { reason: lastReason(history, form === '02' ? 5 : form === '03' ? 3 : 8) ?? '' }
        : {}),
      ...(form === '04' && d.dueAt ? { reason: 'Hồ sơ chưa được giải quyết đúng thời hạn đã hẹn.' } : {}),
      history: history.map((e) => ({
        at: e.at,
        to: e.to,
        by: e.by,
        role: e.role,
        ...(e.from ? { from: e.from } : {}),
        ...(e.reason ? { reason: e.reason } : {}),
      })),
      lookupUrl: dossierLink(d.code),
      issuedAt: now.toISOString(),
    };
    const pdf = await renderForm(form, data);
    return {
      status: 200,
      raw: pdf,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${d.code}-mau-${form}.pdf"`,
        'cache-control': 'private, no-store',
      },
    };
  },
});
