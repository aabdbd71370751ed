/** Forms 01-06 of Circular 03/2025 (Appendix I) as PDF, for the owner and staff of the ward. */

import * as z from 'zod';
import '#shared/api/zod.ts';
import type { HistoryEntry } from '#shared/dossier.ts';
import { type Dossier, STATUS } from '#shared/dossier.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import {
  historyRows,
  receiptComponents,
  registerCsv,
  registerLine,
  registerRows,
  resultPlace,
} from '#shared/forms/dossier-forms.ts';
import { type FormData, type FormId, isFormId } from '#shared/forms/render/model.ts';
import { renderForm, renderRegister } from '#shared/forms/render/pdf.ts';
import { judgedAt } from '#shared/indicators.ts';
import { isOverdue, visibleDossier } from '#shared/use-cases/dossiers.ts';
import { loadFonts } from './adapters/fonts.ts';
import { dossierLink } from './lib/config.ts';
import { dossierDeps, wardDirectory } from './lib/deps.ts';
import { csvAttachment, httpApi } from './lib/http.ts';
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
      // Sent before the deadline (an extension), or owed once it passed without one.
      return d.extension !== undefined || isOverdue(d, now);
    case '05':
      return d.status === STATUS.STOPPED;
    default:
      return true;
  }
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const registerQuery = z.object({ from: day, to: day, format: z.enum(['pdf', 'csv']).default('pdf') });
/** The register holds at most this many dossiers per request (a quarter of a busy ward). */
const REGISTER_MAX = 20_000;

export const handler = httpApi({
  'GET /v1/registers': async (req) => {
    const ward = req.principal?.ward;
    if (!ward) throw new ForbiddenError();
    const q = registerQuery.parse(req.query);
    const a = Date.parse(`${q.from}T00:00:00+07:00`);
    const b = Date.parse(`${q.to}T00:00:00+07:00`) + 24 * 3600_000 - 1;
    if (Number.isNaN(a) || Number.isNaN(b) || b <= a || b - a > 400 * 24 * 3600_000) {
      throw new ValidationError('Khoảng thời gian không hợp lệ (tối đa 400 ngày).', undefined, 'INVALID_PERIOD');
    }
    const deps = dossierDeps();
    const dossiers: Dossier[] = [];
    let cursor: string | undefined;
    do {
      if (!deps.dossiers.listReceived) throw new Error('the dossier repository cannot list a period');
      const page = await deps.dossiers.listReceived(ward, new Date(a).toISOString(), new Date(b).toISOString(), {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      dossiers.push(...page.items);
      cursor = page.next;
    } while (cursor && dossiers.length < REGISTER_MAX);
    const now = deps.clock.now();
    const rows = registerRows(dossiers, judgedAt(new Date(b), now));
    const name = `so-theo-doi-ho-so-${ward}-${q.from}-${q.to}`;
    if (q.format === 'csv') {
      return csvAttachment(registerCsv(rows), `${name}.csv`);
    }
    const w = await wardDirectory().get(ward);
    const pdf = await renderRegister(
      {
        ward: { name: w?.name ?? ward, unitCode: w?.unitCode ?? '', ...(w ? { address: w.address } : {}) },
        from: q.from,
        to: q.to,
        rows,
        issuedAt: now.toISOString(),
      },
      await loadFonts(),
    );
    return {
      status: 200,
      raw: pdf,
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${name}.pdf"` },
    };
  },
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
    const ward = await wardDirectory().get(d.ward);
    const procedure = form === '01' ? await deps.catalog.get(d.procedureId) : undefined;
    const data: FormData = {
      ward: { name: ward?.name ?? d.ward, unitCode: ward?.unitCode ?? '', ...(ward ? { address: ward.address } : {}) },
      dossier: {
        code: d.code,
        procedureName: d.procedureName,
        channel: d.channel,
        status: d.status,
        components: receiptComponents(d, procedure),
        ...(d.acceptedAt ? { receivedAt: d.acceptedAt } : { receivedAt: d.submittedAt }),
        ...(d.appointmentAt ? { appointmentAt: d.appointmentAt } : {}),
        durationDays: Math.round((d.durationHours / 8) * 100) / 100,
        resultPlace: resultPlace(d, procedure, ward?.address ?? d.ward),
        registerLine: registerLine(d),
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
      ...(form === '02' && d.missingComponents?.length
        ? {
            reason: [
              lastReason(history, 5) ?? '',
              'Thành phần hồ sơ cần bổ sung:',
              ...d.missingComponents.map((c) => `- ${c.name}`),
            ].join('\n'),
          }
        : {}),
      ...(form === '04' && d.extension
        ? { reason: d.extension.reason, newAppointmentAt: d.extension.newAppointmentAt }
        : form === '04' && d.dueAt
          ? { reason: 'Hồ sơ chưa được giải quyết đúng thời hạn đã hẹn.' }
          : {}),
      history: historyRows(d, history),
      lookupUrl: dossierLink(d.code),
      issuedAt: now.toISOString(),
    };
    const pdf = await renderForm(form, data, await loadFonts());
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
