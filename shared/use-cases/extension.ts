/**
 * The apology and extension (Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết, form 04 of
 * Circular 03/2025; DESIGN.md §5b): when the processing side foresees a dossier will be late, it
 * sends the citizen an apology with the reason and a new date before the deadline, at most once
 * per dossier. The dossier is still judged against its original deadline: the new date is kept
 * beside it (`extension`), never in place of it.
 */
import * as z from 'zod';
import { text } from '../api/zod.ts';
import type { Principal } from '../auth.ts';
import { assertComputable } from '../calendar-provenance.ts';
import { type Dossier, isClockRunning } from '../dossier.ts';
import { ConflictError, ForbiddenError, UnprocessableError } from '../errors.ts';
import { newEvent } from '../events.ts';
import { publicState } from '../transition.ts';
import { type DossierDeps, visibleDossier } from './dossiers.ts';

export const extensionSchema = z
  .object({
    reason: text(1000),
    newAppointmentAt: z.iso.datetime({ offset: true }),
    expectedVersion: z.number().int().min(1),
  })
  .strict()
  .meta({ id: 'Extension' });
type ExtensionInput = z.infer<typeof extensionSchema>;

/** What the dossier keeps of its apology. */
interface Extension {
  readonly reason: string;
  readonly newAppointmentAt: string;
  readonly at: string;
  readonly by: string;
  /** The official's name and title where the token carried them. */
  readonly byName?: string;
}

/** The processing side (specialist, leader of the ward) sends the apology with a new date. */
export async function extendDossier(
  deps: Pick<DossierDeps, 'dossiers' | 'clock'>,
  p: Principal,
  id: string,
  input: ExtensionInput,
  correlationId?: string,
): Promise<Dossier> {
  const d = await visibleDossier(deps, p, id);
  if (p.role !== 'specialist' && p.role !== 'leader') throw new ForbiddenError();
  if (input.expectedVersion !== d.version) {
    throw new ConflictError('STALE_VERSION', 'Hồ sơ đã được người khác cập nhật; hãy tải lại.', publicState(d));
  }
  if (d.extension) {
    throw new ConflictError(
      'ALREADY_EXTENDED',
      'Hồ sơ đã được gửi văn bản xin lỗi và gia hạn một lần.',
      publicState(d),
    );
  }
  if (!d.acceptedAt || !d.dueAt || !isClockRunning(d)) {
    throw new ConflictError('NOT_EXTENDABLE', 'Chỉ gia hạn hồ sơ đã tiếp nhận và đang giải quyết.', publicState(d));
  }
  const now = deps.clock.now();
  if (now.getTime() >= Date.parse(d.dueAt)) {
    throw new ConflictError(
      'DEADLINE_PASSED',
      'Đã quá hạn giải quyết: văn bản xin lỗi phải gửi trước thời hạn.',
      publicState(d),
    );
  }
  const newAt = new Date(input.newAppointmentAt);
  assertComputable(newAt);
  if (newAt.getTime() <= Date.parse(d.dueAt)) {
    throw new UnprocessableError('NEW_DATE_NOT_LATER', 'Ngày hẹn mới phải sau thời hạn giải quyết hiện tại.');
  }
  const at = now.toISOString();
  const extension: Extension = {
    reason: input.reason,
    newAppointmentAt: newAt.toISOString(),
    at,
    by: p.sub,
    ...(p.name ? { byName: p.title ? `${p.name} (${p.title})` : p.name } : {}),
  };
  const next: Dossier = { ...d, extension, version: d.version + 1, updatedAt: at };
  const subject = { ward: d.ward, dossierId: d.id, ...(correlationId ? { correlationId } : {}) };
  const event = newEvent('DossierExtended', now, subject, {
    code: d.code,
    dueAt: d.dueAt,
    newAppointmentAt: extension.newAppointmentAt,
    reason: extension.reason,
  });
  await deps.dossiers.commit({ next, expectedVersion: d.version, events: [event] });
  return next;
}
