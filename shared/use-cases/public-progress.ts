/**
 * A dossier's progress for its public status page (what the receipt's QR opens): the public
 * lookup (code and the last 4 phone digits, with its lockout) and, once it has passed, the steps
 * so far: each status with its time and the office that moved it, never a name or a reason
 * (free text an official wrote may name people).
 */
import { type Actor, STATUS_NAME_VI, type Status } from '../dossier.ts';
import type { DossierRepository } from '../ports.ts';
import { type LookupDeps, lookupDossier, type PublicStatus } from './lookup.ts';

/** Which office did a step, as a citizen would name it (by actor; an unknown one reads as the desk). */
const ACTOR_OFFICE_VI: Readonly<Partial<Record<Actor | 'helper', string>>> = {
  citizen: 'Người nộp hồ sơ',
  owner: 'Người nộp hồ sơ',
  receiver: 'Bộ phận một cửa',
  specialist: 'Công chức chuyên môn',
  leader: 'Lãnh đạo',
  admin: 'Quản trị',
  kiosk: 'Máy cấp số',
  system: 'Hệ thống',
  helper: 'Tổ công nghệ số cộng đồng',
};

export interface PublicStep {
  readonly at: string;
  readonly status: Status;
  readonly statusName: string;
  readonly office: string;
}

export interface PublicProgress {
  readonly status: PublicStatus;
  readonly steps: readonly PublicStep[];
}

interface ProgressDeps extends LookupDeps {
  readonly dossiers: Pick<DossierRepository, 'getByCode' | 'history'>;
}

/** The lookup, then the steps; throws what the lookup throws (404 on a miss, 429 when locked). */
export async function publicProgress(
  deps: ProgressDeps,
  code: string,
  phone: string,
  client: string,
): Promise<PublicProgress> {
  const status = await lookupDossier(deps, code, phone, client);
  const d = await deps.dossiers.getByCode(status.code);
  const history = d ? await deps.dossiers.history(d.id) : [];
  const steps = [...history]
    .sort((a, b) => a.version - b.version)
    .map((h) => ({
      at: h.at,
      status: h.to,
      statusName: STATUS_NAME_VI[h.to],
      office: ACTOR_OFFICE_VI[h.role] ?? 'Bộ phận một cửa',
    }));
  return { status, steps };
}
