/**
 * Public status lookup (tra cứu hồ sơ) by code and the last 4 digits of the applicant's phone.
 * Shows what the receipt shows and nothing more; a wrong second factor looks like an unknown code.
 * Four digits are 10,000 guesses: attempts are counted per client (the caller's source IP) and
 * code in each clock hour, and a client with too many misses on a code is refused that code for the
 * rest of the hour, whatever the phone (and whether the code exists or not, so the refusal tells
 * nothing either). Per client: a stranger's misses lock out the stranger, never the citizen. The
 * check and the count are one atomic step (LookupGuard.take), so concurrent guesses cannot get
 * past the limit. A per-IP rate limit in front (WAF in the cloud, the local gateway) bounds how
 * many codes one client can try.
 */
import { type Dossier, STATUS_NAME_VI, type Status } from '../dossier.ts';
import { NotFoundError, TooManyRequestsError } from '../errors.ts';
import { DOSSIER_CODE } from '../ids.ts';
import type { Clock, DossierRepository, LookupGuard } from '../ports.ts';
import { maskName } from '../signing.ts';
import { isOverdue } from './dossiers.ts';

/** Failed lookups of one code allowed to one client in one clock hour. */
export const LOOKUP_FAILURES_PER_HOUR = 5;

export interface LookupDeps {
  readonly dossiers: Pick<DossierRepository, 'getByCode'>;
  readonly guard: LookupGuard;
  readonly clock: Clock;
}

/** What the public sees of a dossier: the receipt's facts, the name masked. */
export interface PublicStatus {
  readonly code: string;
  readonly procedureName: string;
  readonly applicant: string;
  readonly status: Status;
  readonly statusName: string;
  readonly submittedAt: string;
  readonly appointmentAt?: string;
  /** The new date of the apology and extension (form 04), when one was sent. */
  readonly newAppointmentAt?: string;
  readonly endedAt?: string;
  readonly overdue: boolean;
}

function publicStatus(d: Dossier, now: Date): PublicStatus {
  return {
    code: d.code,
    procedureName: d.procedureName,
    applicant: maskName(d.applicant.fullName),
    status: d.status,
    statusName: STATUS_NAME_VI[d.status],
    submittedAt: d.submittedAt,
    ...(d.appointmentAt ? { appointmentAt: d.appointmentAt } : {}),
    ...(d.extension ? { newAppointmentAt: d.extension.newAppointmentAt } : {}),
    ...(d.endedAt ? { endedAt: d.endedAt } : {}),
    overdue: isOverdue(d, now),
  };
}

/**
 * Looks a dossier up for `client` (the caller's source IP). Every well-formed attempt is counted
 * before the dossier is read; a right one is given back, so what stays counted is the misses.
 */
export async function lookupDossier(
  deps: LookupDeps,
  code: string,
  phone: string,
  client: string,
): Promise<PublicStatus> {
  const notFound = new NotFoundError('Hồ sơ', 'DOSSIER_NOT_FOUND');
  // Malformed input is not a guess at a real code: refused without counting.
  if (!DOSSIER_CODE.test(code) || !/^\d{4}$/.test(phone)) throw notFound;
  const now = deps.clock.now();
  const hour = now.toISOString().slice(0, 13);
  if (!(await deps.guard.take(client, code, hour, LOOKUP_FAILURES_PER_HOUR))) {
    throw new TooManyRequestsError(
      'TOO_MANY_ATTEMPTS',
      'Tra cứu sai quá nhiều lần; vui lòng thử lại sau ít phút hoặc liên hệ bộ phận một cửa.',
    );
  }
  const d = await deps.dossiers.getByCode(code);
  if (!d?.applicant.phone.endsWith(phone)) throw notFound;
  await deps.guard.giveBack(client, code, hour);
  return publicStatus(d, now);
}
