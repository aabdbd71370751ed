/** The apology and extension (form 04; DESIGN.md §5b): before the deadline, once, judged on the original. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth.ts';
import { defaultCalendar } from '#shared/calendar.ts';
import { citizenMessage } from '#shared/notifications.ts';
import { isOverdue, submitDossier, transitionDossier } from '#shared/use-cases/dossiers.ts';
import { decide } from '#shared/use-cases/sla.ts';
import { applicant, memoryDeps } from './memory-ports.ts';

const receiver: Principal = { sub: 'r1', role: 'receiver', ward: 'bimson' };
const specialist: Principal = {
  sub: 's1',
  role: 'specialist',
  ward: 'bimson',
  name: 'Lê Thị Bình',
  title: 'Chuyên viên',
};

async function setup() {
  const deps = memoryDeps({ now: '2026-03-02T01:00:00Z' }); // Monday 08:00
  const clock = deps.clock;
  const d = await submitDossier(deps, receiver, {
    ward: 'bimson',
    procedureId: 'thu-tuc',
    channel: 'counter',
    applicant,
  });
  const p = await transitionDossier(deps, receiver, d.id, { to: 4, expectedVersion: d.version });
  // Loaded lazily so that the file still loads (and fails) where the use case does not exist.
  const mod = (await import('#shared/use-cases/extension.ts').catch(() => ({}))) as {
    extendDossier?: (...a: unknown[]) => Promise<import('#shared/dossier.ts').Dossier>;
  };
  if (!mod.extendDossier) throw new Error('no extension use case');
  return { deps, clock, d: p, extend: mod.extendDossier };
}

describe('Use case: extendDossier', () => {
  it('keeps the new date beside the original deadline, tells the citizen, and is judged on the original', async () => {
    const { deps, clock, d, extend } = await setup();
    clock.set('2026-03-03T01:00:00Z');
    const newAt = '2026-03-10T09:00:00.000Z';
    const next = await extend(deps, specialist, d.id, {
      reason: 'Chờ xác minh của cơ quan khác.',
      newAppointmentAt: newAt,
      expectedVersion: d.version,
    });
    expect(next.extension).toMatchObject({
      reason: 'Chờ xác minh của cơ quan khác.',
      newAppointmentAt: newAt,
      byName: 'Lê Thị Bình (Chuyên viên)',
    });
    expect(next.dueAt).toBe(d.dueAt);
    expect(next.appointmentAt).toBe(d.appointmentAt);
    const event = deps.dossiers.events.at(-1);
    expect(event?.type).toBe('DossierExtended');
    const msg = event ? citizenMessage(event, next) : undefined;
    expect(msg?.text).toContain('10/03/2026');
    expect(msg?.text).toContain('Chờ xác minh');
    // Still judged against the original deadline; no second apology from the watch.
    const afterDeadline = new Date(Date.parse(d.dueAt as string) + 3600_000);
    expect(isOverdue(next, afterDeadline)).toBe(true);
    expect(decide(defaultCalendar(), next, afterDeadline)).toBeUndefined();
  });

  it('is sent once: a second one is 409', async () => {
    const { deps, d, extend } = await setup();
    const first = await extend(deps, specialist, d.id, {
      reason: 'Lý do',
      newAppointmentAt: '2026-03-10T09:00:00Z',
      expectedVersion: d.version,
    });
    await expect(
      extend(deps, specialist, d.id, {
        reason: 'Lần hai',
        newAppointmentAt: '2026-03-12T09:00:00Z',
        expectedVersion: first.version,
      }),
    ).rejects.toMatchObject({ status: 409, code: 'ALREADY_EXTENDED' });
  });

  it('must come before the deadline, with a later date, from the processing side', async () => {
    const { deps, clock, d, extend } = await setup();
    const body = { reason: 'Lý do', newAppointmentAt: '2026-03-20T09:00:00Z', expectedVersion: d.version };
    await expect(extend(deps, receiver, d.id, body)).rejects.toMatchObject({ status: 403 });
    await expect(
      extend(deps, specialist, d.id, { ...body, newAppointmentAt: '2026-03-03T01:00:00Z' }),
    ).rejects.toMatchObject({
      status: 422,
    });
    clock.set(new Date(Date.parse(d.dueAt as string) + 60_000).toISOString());
    await expect(extend(deps, specialist, d.id, body)).rejects.toMatchObject({ status: 409, code: 'DEADLINE_PASSED' });
  });
});
