import { describe, expect, it } from 'vitest';
import { addWorkingHours, defaultCalendar } from '../../shared/calendar.ts';
import type { Dossier } from '../../shared/dossier.ts';
import { AppError, ConflictError, ForbiddenError, UnprocessableError } from '../../shared/errors.ts';
import { type Move, planTransition, type TransitionContext } from '../../shared/transition.ts';

const cal = defaultCalendar();
const now = new Date('2026-01-05T02:00:00Z'); // Monday 09:00 in Hà Nội
const dossier = (over: Partial<Dossier> = {}): Dossier => ({
  id: 'd1',
  code: 'G09.20-20260105-0001',
  ward: 'bimson',
  procedureId: 'p1',
  procedureName: 'P',
  channel: 'online',
  status: 1,
  version: 3,
  createdBy: 'c',
  applicant: { fullName: 'A', idNumber: '012345678901', phone: '0912345678' },
  components: [],
  durationHours: 24,
  fee: 0,
  submittedAt: '2026-01-05T01:00:00Z',
  pauses: [],
  supplementCount: 0,
  updatedAt: '2026-01-05T01:00:00Z',
  ...over,
});
const context = (over: Partial<TransitionContext> = {}): TransitionContext => ({
  now,
  calendar: cal,
  actor: 'receiver',
  by: { sub: 'r1', name: 'Nguyễn Văn A', title: 'Cán bộ tiếp nhận' },
  ...over,
});
const errorOf = (f: () => unknown): AppError | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  return undefined;
};

describe('Function: planTransition', () => {
  it('plans an acceptance: the next state on the expected version, its history entry and its event', () => {
    // Prepare
    const d = dossier();
    // Act
    const plan = planTransition(d, { to: 2, expectedVersion: 3 }, context({ correlationId: 'corr-1' }));
    // Assess
    const appointmentAt = addWorkingHours(cal, now, 24).toISOString();
    expect(plan.expectedVersion).toBe(3);
    expect(plan.next).toMatchObject({
      status: 2,
      version: 4,
      acceptedAt: now.toISOString(),
      appointmentAt,
      dueAt: appointmentAt,
      updatedAt: now.toISOString(),
    });
    expect(plan.history).toEqual({
      dossierId: 'd1',
      version: 4,
      at: now.toISOString(),
      from: 1,
      to: 2,
      by: 'r1',
      role: 'receiver',
      byName: 'Nguyễn Văn A',
      byTitle: 'Cán bộ tiếp nhận',
    });
    expect(plan.events).toHaveLength(1);
    expect(plan.events[0]).toMatchObject({
      type: 'DossierStatusChanged',
      occurredAt: now.toISOString(),
      ward: 'bimson',
      dossierId: 'd1',
      correlationId: 'corr-1',
      data: {
        code: 'G09.20-20260105-0001',
        procedureId: 'p1',
        channel: 'online',
        from: 1,
        to: 2,
        version: 4,
        by: 'r1',
        supplementCount: 0,
        dueAt: appointmentAt,
        appointmentAt,
      },
    });
  });

  it('leaves the dossier it was given unchanged (a plan, not a write)', () => {
    const d = dossier();
    const before = structuredClone(d);
    planTransition(d, { to: 2, expectedVersion: 3 }, context());
    expect(d).toEqual(before);
  });

  it('refuses a stale version with 409 STALE_VERSION and the current state', () => {
    const e = errorOf(() => planTransition(dossier(), { to: 2, expectedVersion: 2 }, context()));
    expect(e).toBeInstanceOf(ConflictError);
    expect(e).toMatchObject({
      status: 409,
      code: 'STALE_VERSION',
      details: { current: { id: 'd1', status: 1, version: 3 } },
    });
  });

  it('refuses a move the status machine does not allow with 409, and an actor it does not allow with 403', () => {
    expect(errorOf(() => planTransition(dossier(), { to: 9, expectedVersion: 3 }, context()))).toMatchObject({
      status: 409,
      code: 'ILLEGAL_TRANSITION',
    });
    const e = errorOf(() => planTransition(dossier(), { to: 2, expectedVersion: 3 }, context({ actor: 'specialist' })));
    expect(e).toBeInstanceOf(ForbiddenError);
    expect(e?.code).toBe('ROLE_NOT_ALLOWED_FOR_TRANSITION');
  });

  it('checks the version before the move, and the move before the reason', () => {
    expect(errorOf(() => planTransition(dossier(), { to: 9, expectedVersion: 1 }, context()))?.code).toBe(
      'STALE_VERSION',
    );
    expect(errorOf(() => planTransition(dossier(), { to: 8, expectedVersion: 3 }, context()))?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
  });

  it.each([3, 5] as const)(
    'requires a reason for a move to %i, and carries it into the history and the event',
    (to) => {
      const e = errorOf(() => planTransition(dossier(), { to, expectedVersion: 3 }, context()));
      expect(e).toBeInstanceOf(UnprocessableError);
      expect(e?.code).toBe('REASON_REQUIRED');
      const plan = planTransition(dossier(), { to, expectedVersion: 3, reason: 'thiếu giấy tờ' }, context());
      expect(plan.history.reason).toBe('thiếu giấy tờ');
      expect(plan.events[0]?.data).toMatchObject({ reason: 'thiếu giấy tờ' });
    },
  );

  it('records a bare mover id with its actor, and no name or title', () => {
    const d = dossier({ status: 6, version: 7, acceptedAt: '2026-01-02T02:00:00Z', feeDue: 8000, fee: 8000 });
    const plan = planTransition(d, { to: 4, expectedVersion: 7 }, context({ actor: 'system', by: 'momo' }));
    expect(plan.history).toEqual({
      dossierId: 'd1',
      version: 8,
      at: now.toISOString(),
      from: 6,
      to: 4,
      by: 'momo',
      role: 'system',
    });
    expect(plan.events[0]?.data).toMatchObject({ by: 'momo' });
  });

  it('records the move’s payment on the next state', () => {
    const d = dossier({ status: 6, version: 7, acceptedAt: '2026-01-02T02:00:00Z', feeDue: 8000, fee: 8000 });
    const payment = { amount: 8000, gateway: 'vnpay' as const, paidAt: now.toISOString(), online: true };
    const move: Move = { to: 4, expectedVersion: 7, payment };
    const plan = planTransition(d, move, context({ actor: 'system', by: 'vnpay' }));
    expect(plan.next.payment).toEqual(payment);
    expect(plan.next.status).toBe(4);
  });

  it('takes the fee due from the move, else from the catalog today, else (a fee rule) from the dossier', () => {
    const d = dossier({ status: 4, version: 5, acceptedAt: '2026-01-02T02:00:00Z', dueAt: '2026-01-09T02:00:00Z' });
    const specialist = context({ actor: 'specialist' });
    expect(planTransition(d, { to: 6, expectedVersion: 5, fee: 30000 }, specialist).next.feeDue).toBe(30000);
    expect(
      planTransition(d, { to: 6, expectedVersion: 5 }, { ...specialist, procedure: { fee: 12000 } }).next.feeDue,
    ).toBe(12000);
    const ruled = { ...d, fee: 5000, feeInputs: { pages: 2, copies: 1 } };
    expect(
      planTransition(ruled, { to: 6, expectedVersion: 5 }, { ...specialist, procedure: { fee: 12000 } }).next.feeDue,
    ).toBe(5000);
  });

  it('pauses the clock while a fee is due only where the procedure excludes that time', () => {
    const d = dossier({ status: 4, version: 5, acceptedAt: '2026-01-02T02:00:00Z', dueAt: '2026-01-09T02:00:00Z' });
    const specialist = context({ actor: 'specialist' });
    const excluded = { fee: 12000, excludesFinancialObligationTime: true };
    expect(
      planTransition(d, { to: 6, expectedVersion: 5 }, { ...specialist, procedure: excluded }).next.pauses,
    ).toHaveLength(1);
    expect(
      planTransition(d, { to: 6, expectedVersion: 5 }, { ...specialist, procedure: { fee: 12000 } }).next.pauses,
    ).toHaveLength(0);
  });

  it('says in the event of an ending whether the dossier finished on time', () => {
    const d = dossier({
      status: 4,
      version: 5,
      acceptedAt: '2026-01-02T02:00:00Z',
      appointmentAt: '2026-01-09T02:00:00Z',
      dueAt: '2026-01-09T02:00:00Z',
    });
    const leader = context({ actor: 'leader', by: { sub: 'l1' } });
    const onTime = planTransition(d, { to: 9, expectedVersion: 5 }, leader);
    expect(onTime.next.endedAt).toBe(now.toISOString());
    expect(onTime.events[0]?.data).toMatchObject({ to: 9, endedAt: now.toISOString(), onTime: true });
    const late = planTransition(d, { to: 9, expectedVersion: 5 }, { ...leader, now: new Date('2026-01-12T02:00:00Z') });
    expect(late.events[0]?.data).toMatchObject({ onTime: false });
    const processing = planTransition(dossier({ status: 2, version: 3 }), { to: 4, expectedVersion: 3 }, context());
    expect(processing.events[0]?.data).not.toHaveProperty('onTime');
  });
});
