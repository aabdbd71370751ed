/** Satisfaction rating (đánh giá mức độ hài lòng) after the result is returned. */
import * as z from 'zod';
import { text } from '../api/zod.ts';
import type { Principal } from '../auth.ts';
import { type Dossier, STATUS } from '../dossier.ts';
import { ConflictError } from '../errors.ts';
import { newEvent } from '../events.ts';
import { publicState } from '../transition.ts';
import { type DossierDeps, visibleDossier } from './dossiers.ts';

export const feedbackSchema = z
  .object({
    score: z.number().int().min(1).max(5),
    complaint: text(2000).optional(),
  })
  .strict()
  .meta({ id: 'Feedback' });

/** Rates once, after the result is returned; a score of 1-2 or a complaint counts as dissatisfied. */
export async function giveFeedback(
  deps: DossierDeps,
  p: Principal,
  id: string,
  input: z.infer<typeof feedbackSchema>,
  correlationId?: string,
): Promise<Dossier> {
  const d = await visibleDossier(deps, p, id);
  if (d.status !== STATUS.RETURNED) {
    throw new ConflictError('NOT_RETURNED_YET', 'Chỉ đánh giá được sau khi đã nhận kết quả.', publicState(d));
  }
  if (d.rating) throw new ConflictError('ALREADY_RATED', 'Hồ sơ này đã được đánh giá.', publicState(d));
  const now = deps.clock.now();
  const rating = {
    score: input.score,
    at: now.toISOString(),
    ...(input.complaint ? { complaint: input.complaint } : {}),
  };
  const next: Dossier = { ...d, rating, version: d.version + 1, updatedAt: now.toISOString() };
  const event = newEvent(
    'FeedbackReceived',
    now,
    { ward: d.ward, dossierId: d.id, ...(correlationId ? { correlationId } : {}) },
    { score: input.score, complaint: Boolean(input.complaint) || input.score <= 2 },
  );
  await deps.dossiers.commit({ next, expectedVersion: d.version, events: [event] });
  return next;
}
