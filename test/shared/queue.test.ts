import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth.ts';
import { AppError, QueueWriteConflictError } from '#shared/errors.ts';
import {
  AT_COUNTER,
  type Counter,
  callTicket,
  canMoveTicket,
  durationMs,
  eligibleGroups,
  findCounter,
  findPoint,
  finishTicket,
  freshCounter,
  newTicket,
  occupyCounter,
  pointsWithId,
  type QueueChange,
  type QueueRepository,
  queueDay,
  recallTicket,
  releaseCounter,
  servingOrder,
  skipTicket,
  TICKET_STATES,
  type Ticket,
  type TicketKey,
  ticketDisplay,
  waitingAheadOf,
} from '#shared/queue.ts';
import { type QueueDeps, queueBoard, runCounter, takeTicket } from '#shared/use-cases/queue.ts';
import { staticWardDirectory } from '#shared/ward-directory.ts';
import { wardById } from '#shared/wards.ts';

const MIN = 60_000;
const badinh = findPoint('bimson', 'badinh')!.point;
const hotich = badinh.groups.find((g) => g.id === 'hotich')!;
const datdai = badinh.groups.find((g) => g.id === 'datdai')!;

/** An instant given as Vietnam local time. */
const at = (local: string) => new Date(`${local}+07:00`);

const key = (number: number, group = 'hotich', day = '20260609'): TicketKey => ({
  ward: 'bimson',
  point: 'badinh',
  day,
  group,
  number,
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return `${e.status} ${e.code}`;
    throw e;
  }
  return undefined;
}

async function codeOfAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return `${e.status} ${e.code}`;
    throw e;
  }
  return undefined;
}

describe('Function: queueDay', () => {
  it('cuts days at midnight in Asia/Ho_Chi_Minh, not UTC', () => {
    expect(queueDay(new Date('2026-06-09T16:59:59.999Z'))).toBe('20260609');
    expect(queueDay(new Date('2026-06-09T17:00:00.000Z'))).toBe('20260610');
    expect(queueDay(at('2026-01-01T00:00'))).toBe('20260101');
    expect(queueDay(at('2025-12-31T23:59'))).toBe('20251231');
  });

  it('refuses an invalid date', () => {
    expect(() => queueDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('Function: ticketDisplay', () => {
  it('shows the group prefix and three digits', () => {
    expect(ticketDisplay('A', 12)).toBe('A012');
    expect(ticketDisplay('B', 1)).toBe('B001');
    expect(ticketDisplay('C', 999)).toBe('C999');
  });

  it('grows past 999 instead of wrapping', () => {
    expect(ticketDisplay('A', 1000)).toBe('A1000');
  });

  it('refuses numbers that are not positive integers', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => ticketDisplay('A', n)).toThrow(RangeError);
  });
});

describe('Ticket state machine', () => {
  const issued = newTicket(key(12), hotich, at('2026-06-09T08:00'));

  it('issues a waiting ticket with its display and no timings yet', () => {
    expect(issued).toMatchObject({
      id: 'bimson.badinh.20260609.hotich.12',
      display: 'A012',
      prefix: 'A',
      groupName: hotich.name,
      state: 'waiting',
      version: 1,
      recalls: 0,
      issuedAt: at('2026-06-09T08:00').toISOString(),
    });
    expect(issued.waitingMs).toBeUndefined();
  });

  it('allows only waiting → called → (recalled) → served | skipped', () => {
    const allowed = TICKET_STATES.flatMap((f) =>
      TICKET_STATES.filter((t) => canMoveTicket(f, t)).map((t) => `${f}>${t}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'waiting>called',
        'called>recalled',
        'called>served',
        'called>skipped',
        'recalled>recalled',
        'recalled>served',
        'recalled>skipped',
      ].sort(),
    );
    expect(AT_COUNTER).toEqual(['called', 'recalled']);
  });

  it('records the waiting time at the first call and the serving time from it, recalls aside', () => {
    const called = callTicket(issued, 'badinh-1', 'receiver-1', at('2026-06-09T08:07'));
    expect(called).toMatchObject({ state: 'called', counterId: 'badinh-1', calledBy: 'receiver-1', version: 2 });
    expect(called.waitingMs).toBe(7 * MIN);
    const recalled = recallTicket(recallTicket(called, at('2026-06-09T08:08')), at('2026-06-09T08:09'));
    expect(recalled).toMatchObject({ state: 'recalled', recalls: 2, version: 4 });
    expect(recalled.calledAt).toBe(called.calledAt);
    expect(recalled.lastCalledAt).toBe(at('2026-06-09T08:09').toISOString());
    const served = finishTicket(recalled, at('2026-06-09T08:22'));
    expect(served).toMatchObject({ state: 'served', waitingMs: 7 * MIN, servingMs: 15 * MIN, version: 5 });
    expect(served.servedAt).toBe(served.endedAt);
  });

  it('marks a no-show without a serving time', () => {
    const called = callTicket(issued, 'badinh-1', 'r', at('2026-06-09T08:01'));
    const skipped = skipTicket(called, at('2026-06-09T08:04'));
    expect(skipped).toMatchObject({
      state: 'skipped',
      waitingMs: MIN,
      skippedAt: at('2026-06-09T08:04').toISOString(),
    });
    expect(skipped.servingMs).toBeUndefined();
  });

  it('refuses illegal moves with 409 ILLEGAL_TICKET_MOVE', () => {
    const called = callTicket(issued, 'badinh-1', 'r', at('2026-06-09T08:01'));
    const served = finishTicket(called, at('2026-06-09T08:02'));
    expect(codeOf(() => callTicket(called, 'badinh-2', 'r', at('2026-06-09T08:03')))).toBe('409 ILLEGAL_TICKET_MOVE');
    expect(codeOf(() => recallTicket(issued, at('2026-06-09T08:03')))).toBe('409 ILLEGAL_TICKET_MOVE');
    expect(codeOf(() => skipTicket(served, at('2026-06-09T08:03')))).toBe('409 ILLEGAL_TICKET_MOVE');
    expect(codeOf(() => finishTicket(served, at('2026-06-09T08:03')))).toBe('409 ILLEGAL_TICKET_MOVE');
  });

  it('never gives a negative duration when the clock goes back', () => {
    expect(durationMs('2026-06-09T08:00:00.000Z', '2026-06-09T07:59:00.000Z')).toBe(0);
  });
});

describe('Counters', () => {
  const t = callTicket(newTicket(key(3), hotich, at('2026-06-09T08:00')), 'badinh-1', 'r', at('2026-06-09T08:05'));

  it('serves one ticket at a time: a busy counter cannot take another (409 COUNTER_BUSY)', () => {
    const busy = occupyCounter(freshCounter('bimson', 'badinh', 'badinh-1'), t, at('2026-06-09T08:05'));
    expect(busy).toMatchObject({
      version: 1,
      serving: { display: 'A003', number: 3 },
      lastCalled: { display: 'A003' },
    });
    expect(codeOf(() => occupyCounter(busy, t, at('2026-06-09T08:06')))).toBe('409 COUNTER_BUSY');
  });

  it('is freed by serving or skipping, and remembers the last call with its outcome', () => {
    const busy = occupyCounter(freshCounter('bimson', 'badinh', 'badinh-1'), t, at('2026-06-09T08:05'));
    const free = releaseCounter(busy, skipTicket(t, at('2026-06-09T08:07')), at('2026-06-09T08:07'));
    expect(free.serving).toBeUndefined();
    expect(free).toMatchObject({ version: 2, lastCalled: { display: 'A003', outcome: 'skipped' } });
  });

  it('belongs to one point of one ward', () => {
    expect(findCounter('bimson', 'badinh-2')?.point.id).toBe('badinh');
    expect(findCounter('bimson', 'havinh-1')?.point.id).toBe('havinh');
    expect(findCounter('bimson', 'trungtam-1')).toBeUndefined();
    expect(findCounter('nowhere', 'badinh-1')).toBeUndefined();
  });
});

describe('Which tickets a counter may take', () => {
  it("takes all of its point's groups, or the requested ones in the point's order", () => {
    expect(eligibleGroups(badinh)).toEqual(['hotich', 'datdai', 'xahoi']);
    expect(eligibleGroups(badinh, [])).toEqual(['hotich', 'datdai', 'xahoi']);
    expect(eligibleGroups(badinh, ['xahoi', 'hotich'])).toEqual(['hotich', 'xahoi']);
    expect(codeOf(() => eligibleGroups(badinh, ['hotich', 'nope']))).toBe('422 UNKNOWN_GROUP');
  });

  it('finds points by id across wards (the public board)', () => {
    expect(pointsWithId('trungtam').map((p) => p.ward.id)).toEqual(['quangtrung']);
    expect(pointsWithId('nope')).toEqual([]);
    expect(findPoint('quangtrung', 'badinh')).toBeUndefined();
  });

  it('orders oldest first across groups', () => {
    const a = newTicket(key(1, 'datdai'), datdai, at('2026-06-09T08:00'));
    const b = newTicket(key(1, 'hotich'), hotich, at('2026-06-09T08:01'));
    const c = newTicket(key(2, 'datdai'), datdai, at('2026-06-09T08:02'));
    expect(servingOrder([c, b, a]).map((x) => x.display)).toEqual(['B001', 'A001', 'B002']);
  });

  it('never calls a group backwards, even when two numbers share an instant in reverse', () => {
    const twelve = newTicket(key(12), hotich, new Date('2026-06-09T01:00:00.001Z'));
    const eleven = newTicket(key(11), hotich, new Date('2026-06-09T01:00:00.002Z'));
    expect(servingOrder([twelve, eleven]).map((x) => x.number)).toEqual([11, 12]);
  });

  it('is a permutation that keeps each group in number order and each group its time slots', () => {
    const arb = fc.array(
      fc.record({ group: fc.constantFrom('hotich', 'datdai'), ms: fc.integer({ min: 0, max: 50 }) }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const tickets = specs.map((s, i) =>
          newTicket(key(i + 1, s.group), s.group === 'hotich' ? hotich : datdai, new Date(1_780_000_000_000 + s.ms)),
        );
        const out = servingOrder(tickets);
        expect(out.map((t) => t.id).sort()).toEqual(tickets.map((t) => t.id).sort());
        for (const g of ['hotich', 'datdai']) {
          const nums = out.filter((t) => t.group === g).map((t) => t.number);
          expect(nums).toEqual([...nums].sort((x, y) => x - y));
        }
        // Each group keeps the time slots of its tickets: the groups' interleaving is by time.
        const byTime = [...tickets].sort(
          (x, y) => x.issuedAt.localeCompare(y.issuedAt) || x.group.localeCompare(y.group) || x.number - y.number,
        );
        expect(out.map((t) => t.group)).toEqual(byTime.map((t) => t.group));
      }),
    );
  });

  it('counts the waiting ahead within the group only', () => {
    const mine = newTicket(key(5), hotich, at('2026-06-09T08:05'));
    const waiting = [
      newTicket(key(3), hotich, at('2026-06-09T08:03')),
      newTicket(key(4), hotich, at('2026-06-09T08:04')),
      newTicket(key(1, 'datdai'), datdai, at('2026-06-09T08:01')),
      callTicket(newTicket(key(2), hotich, at('2026-06-09T08:02')), 'badinh-1', 'r', at('2026-06-09T08:03')),
    ];
    expect(waitingAheadOf(mine, waiting)).toBe(2);
  });
});

/** An in-memory repository with the same conditional-write contract as the table. */
class MemoryQueue implements QueueRepository {
  readonly tickets = new Map<string, Ticket>();
  readonly countersById = new Map<string, Counter>();
  readonly seqs = new Map<string, number>();
  /** Yields between the read and the write of `next`, so concurrent calls interleave. */
  private readonly tick = () => new Promise<void>((r) => setImmediate(r));

  private k = (t: TicketKey) => `${t.ward}|${t.point}|${t.day}|${t.group}|${t.number}`;

  async issue(scope: Omit<TicketKey, 'number'>, build: (n: number) => Ticket) {
    const sk = `${scope.ward}|${scope.point}|${scope.day}|${scope.group}`;
    const n = (this.seqs.get(sk) ?? 0) + 1;
    this.seqs.set(sk, n);
    await this.tick();
    const ticket = build(n);
    if (this.tickets.has(this.k(ticket))) throw new Error('duplicate ticket');
    this.tickets.set(this.k(ticket), ticket);
    return { ticket, waitingAhead: waitingAheadOf(ticket, [...this.tickets.values()]) };
  }

  async ticket(key: TicketKey) {
    return this.tickets.get(this.k(key));
  }

  async counter(ward: string, id: string) {
    return this.countersById.get(`${ward}|${id}`);
  }

  async counters(ward: string, point: string, ids: readonly string[]) {
    return ids.map((id) => this.countersById.get(`${ward}|${id}`) ?? freshCounter(ward, point, id));
  }

  async waiting(ward: string, point: string, day: string, groups: readonly string[], limit: number) {
    const list = [...this.tickets.values()]
      .filter((t) => t.ward === ward && t.point === point && t.day === day && t.state === 'waiting')
      .filter((t) => groups.includes(t.group))
      .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
    await this.tick();
    return list.slice(0, limit);
  }

  async waitingCounts(ward: string, point: string, day: string) {
    const counts: Record<string, number> = {};
    for (const t of this.tickets.values()) {
      if (t.ward === ward && t.point === point && t.day === day && t.state === 'waiting') {
        counts[t.group] = (counts[t.group] ?? 0) + 1;
      }
    }
    return counts;
  }

  async save(c: QueueChange) {
    const stored = this.tickets.get(this.k(c.ticket));
    const counter = this.countersById.get(`${c.counter.ward}|${c.counter.id}`);
    if ((counter?.version ?? 0) !== c.counterWas) throw new QueueWriteConflictError('counter');
    if (!stored || stored.state !== c.ticketWas.state || stored.version !== c.ticketWas.version) {
      throw new QueueWriteConflictError('ticket');
    }
    this.tickets.set(this.k(c.ticket), c.ticket);
    this.countersById.set(`${c.counter.ward}|${c.counter.id}`, c.counter);
  }
}

describe('Use cases over an in-memory repository', () => {
  const kiosk: Principal = { sub: 'kiosk-1', role: 'kiosk', ward: 'bimson' };
  const receiver: Principal = { sub: 'receiver-1', role: 'receiver', ward: 'bimson' };
  const setup = () => {
    let now = at('2026-06-09T08:00');
    const repo = new MemoryQueue();
    const deps: QueueDeps = { queue: repo, clock: { now: () => now }, wards: staticWardDirectory() };
    return { repo, deps, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
  };

  it('numbers each group separately and says how many wait ahead', async () => {
    const { deps } = setup();
    const a1 = await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    const a2 = await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    const b1 = await takeTicket(deps, kiosk, { point: 'badinh', group: 'datdai' });
    const h1 = await takeTicket(deps, kiosk, { point: 'havinh', group: 'hotich' });
    expect([a1.display, a2.display, b1.display, h1.display]).toEqual(['A001', 'A002', 'B001', 'A001']);
    expect([a1.waitingAhead, a2.waitingAhead, b1.waitingAhead]).toEqual([0, 1, 0]);
    expect(a1).toMatchObject({ day: '20260609', groupName: hotich.name, pointName: badinh.name });
  });

  it('refuses points of another ward, unknown points and groups, and devices without a ward', async () => {
    const { deps } = setup();
    const take = (p: Principal, point: string, group = 'hotich') => codeOfAsync(takeTicket(deps, p, { point, group }));
    expect(await take(kiosk, 'trungtam')).toBe('403 OTHER_WARD');
    expect(await take(kiosk, 'nowhere')).toBe('422 UNKNOWN_POINT');
    expect(await take(kiosk, 'badinh', 'nope')).toBe('422 UNKNOWN_GROUP');
    expect(await take({ sub: 'k', role: 'kiosk' }, 'badinh')).toBe('403 NO_WARD');
  });

  it('restarts numbers on the next Vietnam day', async () => {
    const { deps, advance } = setup();
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    advance(16 * 60 * MIN);
    const next = await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    expect([next.day, next.number]).toEqual(['20260610', 1]);
  });

  it('runs next → recall → finish with timings, and refuses next while busy', async () => {
    const { deps, advance } = setup();
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    advance(4 * MIN);
    const called = await runCounter(deps, receiver, 'badinh-1', 'next');
    expect(called.ticket).toMatchObject({ display: 'A001', state: 'called', waitingMs: 4 * MIN });
    expect(await codeOfAsync(runCounter(deps, receiver, 'badinh-1', 'next'))).toBe('409 COUNTER_BUSY');
    advance(MIN);
    const recalled = await runCounter(deps, receiver, 'badinh-1', 'recall');
    expect(recalled.ticket).toMatchObject({ state: 'recalled', recalls: 1 });
    advance(9 * MIN);
    const done = await runCounter(deps, receiver, 'badinh-1', 'finish');
    expect(done.ticket).toMatchObject({ state: 'served', servingMs: 10 * MIN });
    expect(done.counter).toMatchObject({ serving: null, lastCalled: { display: 'A001', outcome: 'served' } });
    expect(await codeOfAsync(runCounter(deps, receiver, 'badinh-1', 'finish'))).toBe('409 COUNTER_IDLE');
    expect((await runCounter(deps, receiver, 'badinh-1', 'next')).ticket).toBeNull();
  });

  it('gives two counters calling at once two different tickets', async () => {
    const { deps } = setup();
    for (let i = 0; i < 3; i++) await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    const [a, b] = await Promise.all([
      runCounter(deps, receiver, 'badinh-1', 'next'),
      runCounter(deps, receiver, 'badinh-2', 'next'),
    ]);
    expect([a.ticket?.number, b.ticket?.number].sort()).toEqual([1, 2]);
  });

  it('reports COUNTER_CHANGED when another action moves the ticket between the counter read and the ticket read', async () => {
    const { deps, repo } = setup();
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    await runCounter(deps, receiver, 'badinh-1', 'next');
    const read = repo.ticket.bind(repo);
    let raced = false;
    repo.ticket = async (key) => {
      if (!raced) {
        raced = true;
        await runCounter(deps, receiver, 'badinh-1', 'finish');
      }
      return read(key);
    };
    expect(await codeOfAsync(runCounter(deps, receiver, 'badinh-1', 'skip'))).toBe('409 COUNTER_CHANGED');
    expect((await repo.counter('bimson', 'badinh-1'))?.lastCalled).toMatchObject({ outcome: 'served' });
  });

  it("only takes the counter's point and the requested groups, and only the ward's counters", async () => {
    const { deps } = setup();
    await takeTicket(deps, kiosk, { point: 'havinh', group: 'hotich' });
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'datdai' });
    const r = await runCounter(deps, receiver, 'badinh-1', 'next', { groups: ['datdai'] });
    expect(r.ticket).toMatchObject({ point: 'badinh', display: 'B001' });
    expect(await codeOfAsync(runCounter(deps, receiver, 'trungtam-1', 'next'))).toBe('404 COUNTER_NOT_FOUND');
    expect(await codeOfAsync(runCounter(deps, receiver, 'badinh-2', 'next', { groups: ['x'] }))).toBe(
      '422 UNKNOWN_GROUP',
    );
  });

  it('shows on the board what each counter serves and what waits, without who called', async () => {
    const { deps } = setup();
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'hotich' });
    await takeTicket(deps, kiosk, { point: 'badinh', group: 'xahoi' });
    await runCounter(deps, receiver, 'badinh-2', 'next');
    const board = await queueBoard(deps, { point: 'badinh' });
    expect(board.counters.map((c) => [c.counterId, c.serving?.display ?? null])).toEqual([
      ['badinh-1', null],
      ['badinh-2', 'A001'],
      ['badinh-3', null],
    ]);
    expect(board.waiting.map((w) => [w.prefix, w.count])).toEqual([
      ['A', 1],
      ['B', 0],
      ['C', 1],
    ]);
    expect(board.totalWaiting).toBe(2);
    expect(JSON.stringify(board)).not.toContain('receiver-1');
    expect(await codeOfAsync(queueBoard(deps, { point: 'nowhere' }))).toBe('404 POINT_NOT_FOUND');
    expect(wardById(board.ward)?.points.some((p) => p.id === 'badinh')).toBe(true);
  });
});
