/** Counter intake outcomes (DESIGN.md §5b): accept (2), refuse (3, form 03), incomplete (5 before acceptance, form 02). */
import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth.ts';
import { defaultCalendar } from '#shared/calendar.ts';
import { computeReport, factOf } from '#shared/indicators.ts';
import { type SubmitInput, submitDossier, transitionDossier } from '#shared/use-cases/dossiers.ts';
import { applicant, memoryDeps } from './memory-ports.ts';

const receiver: Principal = { sub: 'r1', role: 'receiver', ward: 'bimson' };
const citizen: Principal = { sub: 'c1', role: 'citizen' };
const deps = () => memoryDeps({ now: '2026-03-02T02:00:00Z' });
const body = (over: Record<string, unknown>) =>
  ({ ward: 'bimson', procedureId: 'thu-tuc', channel: 'counter', applicant, ...over }) as SubmitInput;

describe('Use case: submitDossier at the counter', () => {
  it('refuses at intake: status 3 with the reason in the history, ended, no clock, counted apart', async () => {
    const dp = deps();
    const d = await submitDossier(
      dp,
      receiver,
      body({ intake: 'refuse', reason: 'Không thuộc thẩm quyền của phường.' }),
    );
    expect(d.status).toBe(3);
    expect(d.acceptedAt).toBeUndefined();
    expect(d.dueAt).toBeUndefined();
    expect(d.endedAt).toBeDefined();
    expect((await dp.dossiers.history(d.id))[0]).toMatchObject({ to: 3, reason: 'Không thuộc thẩm quyền của phường.' });
    const r = computeReport(
      [factOf(d)],
      { ward: 'bimson', from: '2026-03-02', to: '2026-03-02' },
      new Date('2026-03-02T16:00:00Z'),
      defaultCalendar(),
    );
    expect(r).toMatchObject({ received: 1, refusedAtIntake: 1, judged: 0, onTime: 0, overdue: 0 });
  });

  it('asks for completion before receiving: status 5, no clock, the missing components kept; acceptance later starts the clock', async () => {
    const dp = deps();
    const d = await submitDossier(
      dp,
      receiver,
      body({ intake: 'incomplete', reason: 'Thiếu bản sao.', missing: ['ban-sao'] }),
    );
    expect(d.status).toBe(5);
    expect(d.acceptedAt).toBeUndefined();
    expect(d.dueAt).toBeUndefined();
    expect(d.missingComponents).toEqual([{ id: 'ban-sao', name: 'Bản sao giấy tờ' }]);
    dp.clock.set('2026-03-04T02:00:00Z');
    const accepted = await transitionDossier(dp, receiver, d.id, { to: 4, expectedVersion: d.version });
    expect(accepted.acceptedAt).toBe('2026-03-04T02:00:00.000Z');
    expect(accepted.supplementCount).toBe(0);
  });

  it('needs a reason, and only a receiver at the counter can refuse or ask for completion', async () => {
    await expect(submitDossier(deps(), receiver, body({ intake: 'refuse' }))).rejects.toMatchObject({ status: 422 });
    await expect(
      submitDossier(deps(), citizen, body({ channel: 'online', intake: 'refuse', reason: 'x' })),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      submitDossier(deps(), receiver, body({ intake: 'incomplete', reason: 'x', missing: ['khong-co'] })),
    ).rejects.toMatchObject({ status: 422, code: 'UNKNOWN_COMPONENT' });
    expect((await submitDossier(deps(), receiver, body({ intake: 'accept' }))).status).toBe(2);
  });
});
