/**
 * Forms 01-07 of Circular 03/2025 (Appendix I): which form a dossier has reached, what each one
 * prints, and the register (sổ theo dõi hồ sơ, form 07) of a period. Rendering is shared/forms.
 */
import type { Principal } from '../auth.ts';
import { type Dossier, type HistoryEntry, STATUS } from '../dossier.ts';
import { ConflictError } from '../errors.ts';
import {
  historyRows,
  type RegisterRow,
  receiptComponents,
  registerLine,
  registerRows,
  resultPlace,
} from '../forms/dossier-forms.ts';
import type { FormData, FormId } from '../forms/render/model.ts';
import { judgedAt } from '../indicators.ts';
import type { CatalogRepository, Clock, DossierRepository } from '../ports.ts';
import type { WardDirectory } from '../ward-directory.ts';
import { isOverdue, visibleDossierWithHistory } from './dossiers.ts';
import { period } from './reports.ts';

const lastReason = (h: readonly HistoryEntry[], to: number): string | undefined =>
  [...h].reverse().find((e) => e.to === to)?.reason;

/** Which forms a dossier has reached: a refusal slip only for a refused dossier, and so on. */
export function formAvailable(form: FormId, d: Dossier, h: readonly HistoryEntry[], now: Date): boolean {
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

interface FormDeps {
  readonly dossiers: DossierRepository;
  readonly catalog: Pick<CatalogRepository, 'get'>;
  readonly wards: Pick<WardDirectory, 'get'>;
  readonly clock: Clock;
  /** The public page of a dossier (what the form's QR code opens). */
  readonly dossierLink: (code: string) => string;
}

/**
 * What form `form` of a dossier the caller may see prints. NOT_FOUND for a dossier the caller may
 * not see; FORM_NOT_APPLICABLE (409) for a form the dossier has not reached.
 */
export async function dossierForm(
  deps: FormDeps,
  principal: Principal,
  dossierId: string,
  form: FormId,
): Promise<{ dossier: Dossier; data: FormData }> {
  const { dossier: d, history } = await visibleDossierWithHistory(deps, principal, dossierId);
  const now = deps.clock.now();
  if (!formAvailable(form, d, history, now)) {
    throw new ConflictError('FORM_NOT_APPLICABLE', 'Hồ sơ ở trạng thái này không có biểu mẫu được yêu cầu.');
  }
  const ward = await deps.wards.get(d.ward);
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
    lookupUrl: deps.dossierLink(d.code),
    issuedAt: now.toISOString(),
  };
  return { dossier: d, data };
}

/** The register holds at most this many dossiers per request (a quarter of a busy ward). */
const REGISTER_MAX = 20_000;

interface RegisterDeps {
  readonly dossiers: Pick<DossierRepository, 'listReceived'>;
  readonly clock: Clock;
}

/**
 * The register's rows (form 07): the ward's dossiers received in the period (days YYYY-MM-DD,
 * both included; INVALID_PERIOD as for the reports), each judged at the period's end (or now).
 */
export async function dossierRegister(
  deps: RegisterDeps,
  ward: string,
  from: string,
  to: string,
): Promise<{ rows: RegisterRow[]; now: Date }> {
  const { fromIso, toIso } = period(from, to);
  const dossiers: Dossier[] = [];
  let cursor: string | undefined;
  do {
    if (!deps.dossiers.listReceived) throw new Error('the dossier repository cannot list a period');
    const page = await deps.dossiers.listReceived(ward, fromIso, toIso, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    dossiers.push(...page.items);
    cursor = page.next;
  } while (cursor && dossiers.length < REGISTER_MAX);
  const now = deps.clock.now();
  return { rows: registerRows(dossiers, judgedAt(new Date(toIso), now)), now };
}
