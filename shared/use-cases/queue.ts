/**
 * Queue use cases (cấp số thứ tự): a kiosk takes a number, an official runs a counter, the board
 * shows the point. Orchestration over the QueueRepository port; every write is conditional.
 */
import * as z from 'zod';
import { slug } from '../api/zod.ts';
import { callOrder, isPriority, PRIORITY_GROUP } from '../appointments.ts';
import type { Principal } from '../auth.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  QueueWriteConflictError,
  UnprocessableError,
} from '../errors.ts';
import type { Clock } from '../ports.ts';
import {
  AT_COUNTER,
  busyMessage,
  type Counter,
  type CounterAction,
  callTicket,
  eligibleGroups,
  findCounter,
  findPoint,
  finishTicket,
  freshCounter,
  groupOf,
  newTicket,
  occupyCounter,
  pointsWithId,
  type QueueRepository,
  queueDay,
  reannounceCounter,
  recallTicket,
  releaseCounter,
  servingOrder,
  skipTicket,
  type Ticket,
} from '../queue.ts';
import { fullJitter, retry } from '../retry.ts';
import type { WardDirectory } from '../ward-directory.ts';

/** What the kiosk prints: the ticket, where it is, and how many wait before it. */
export const issuedTicket = (ticket: Ticket, pointName: string, waitingAhead: number): IssuedTicket => ({
  ticketId: ticket.id,
  number: ticket.number,
  display: ticket.display,
  point: ticket.point,
  pointName,
  group: ticket.group,
  groupName: ticket.groupName,
  day: ticket.day,
  issuedAt: ticket.issuedAt,
  waitingAhead,
});

export interface QueueDeps {
  readonly queue: QueueRepository;
  readonly clock: Clock;
  /** Where the wards, their points and counters are read (wards are data). */
  readonly wards: WardDirectory;
}

export const takeTicketSchema = z
  .object({
    point: slug.meta({ example: 'badinh' }),
    group: slug.meta({ example: 'hotich' }),
  })
  .strict()
  .meta({ id: 'QueueTicketRequest' });
type TakeTicketInput = z.infer<typeof takeTicketSchema>;

export const nextSchema = z
  .object({
    /** Restrict the call to some of the point's groups (a counter specialised in one field). */
    groups: z
      .array(slug.meta({ example: 'hotich' }))
      .min(1)
      .max(20)
      .optional(),
  })
  .strict()
  .meta({ id: 'QueueNextRequest' });
export type NextInput = z.infer<typeof nextSchema>;

/** recall, skip and finish take no body (or an empty object). */
export const emptyActionSchema = z.object({}).strict().meta({ id: 'QueueEmptyRequest' });

export const boardQuerySchema = z.object({
  point: slug.meta({ example: 'badinh' }),
  /** Only needed if two wards had a point with the same id. */
  ward: slug.optional(),
});

/** What the kiosk prints. */
interface IssuedTicket {
  readonly ticketId: string;
  readonly number: number;
  readonly display: string;
  readonly point: string;
  readonly pointName: string;
  readonly group: string;
  readonly groupName: string;
  readonly day: string;
  readonly issuedAt: string;
  readonly waitingAhead: number;
}

/** A ticket as the staff console sees it (no personal data exists on a ticket). */
type TicketView = Omit<Ticket, 'id' | 'ward' | 'version'> & { readonly ticketId: string };

interface CounterView {
  readonly counterId: string;
  readonly point: string;
  readonly serving: Counter['serving'] | null;
  readonly lastCalled: Counter['lastCalled'] | null;
}

interface CounterResult {
  readonly action: CounterAction;
  /** The ticket the action concerned; null when `next` found nobody waiting. */
  readonly ticket: TicketView | null;
  readonly counter: CounterView;
}

const ticketView = ({ id, ward: _w, version: _v, ...rest }: Ticket): TicketView => ({ ticketId: id, ...rest });

const counterView = (c: Counter): CounterView => ({
  counterId: c.id,
  point: c.point,
  serving: c.serving ?? null,
  lastCalled: c.lastCalled ?? null,
});

const wardOf = async (deps: QueueDeps, p: Principal) => {
  const ward = p.ward ? await deps.wards.get(p.ward) : undefined;
  if (!ward) throw new ForbiddenError('Thiết bị hoặc cán bộ chưa được gán cho phường/xã nào.', 'NO_WARD');
  return ward;
};

/**
 * A kiosk of the ward takes the next number of a group at one of its ward's points. Numbers
 * restart every queue day and are unique and increasing per (ward, point, group).
 */
export async function takeTicket(deps: QueueDeps, p: Principal, input: TakeTicketInput): Promise<IssuedTicket> {
  const ward = await wardOf(deps, p);
  const found = findPoint(ward.id, input.point, [ward]);
  if (!found) {
    if (pointsWithId(input.point, await deps.wards.list()).length > 0) {
      throw new ForbiddenError('Kiosk chỉ cấp số cho điểm tiếp nhận của phường/xã mình.', 'OTHER_WARD');
    }
    throw new UnprocessableError('UNKNOWN_POINT', `Điểm tiếp nhận "${input.point}" không tồn tại.`);
  }
  const group = groupOf(found.point, input.group);
  const now = deps.clock.now();
  const scope = { ward: ward.id, point: found.point.id, day: queueDay(now), group: group.id };
  const { ticket, waitingAhead } = await deps.queue.issue(scope, (number) =>
    newTicket({ ...scope, number }, group, now),
  );
  return issuedTicket(ticket, found.point.name, waitingAhead);
}

/** Rounds of `next` before giving up under extreme contention (40), waits of at most 100 ms. */
const NEXT_RETRY = { attempts: 40, delay: fullJitter(5, 100, 5) } as const;
/** Waiting tickets read per round of `next`. */
const CANDIDATES = 10;

/**
 * Runs a counter of the official's ward: `next` calls the oldest waiting ticket of the point's
 * groups (the counter must be free), `recall` announces the current one again, `skip` marks it a
 * no-show and `finish` marks it served; both free the counter.
 */
export async function runCounter(
  deps: QueueDeps,
  p: Principal,
  counterId: string,
  action: CounterAction,
  input: NextInput = {},
): Promise<CounterResult> {
  const ward = await wardOf(deps, p);
  const found = findCounter(ward.id, counterId, [ward]);
  if (!found) throw new NotFoundError('Quầy', 'COUNTER_NOT_FOUND');
  if (action === 'next') {
    const groups = eligibleGroups(found.point, input.groups);
    return callNext(deps, p, ward.id, found.point.id, counterId, groups);
  }
  return actOnCurrent(deps, ward.id, found.point.id, counterId, action);
}

async function callNext(
  deps: QueueDeps,
  p: Principal,
  ward: string,
  point: string,
  counterId: string,
  groups: readonly string[],
): Promise<CounterResult> {
  const allTaken = new QueueWriteConflictError('ticket');
  return retry(
    async (): Promise<CounterResult> => {
      const counter = (await deps.queue.counter(ward, counterId)) ?? freshCounter(ward, point, counterId);
      if (counter.serving)
        throw new ConflictError('COUNTER_BUSY', busyMessage(counter.serving.display), counterView(counter));
      const now = deps.clock.now();
      const day = queueDay(now);
      // Priority numbers (booked appointments) are read apart: any counter of the point calls them,
      // first once their slot draws near (callOrder in shared/appointments.ts).
      const [priority, regular] = await Promise.all([
        deps.queue.waiting(ward, point, day, [PRIORITY_GROUP.id], CANDIDATES),
        deps.queue.waiting(ward, point, day, groups, CANDIDATES),
      ]);
      const candidates = callOrder(priority, regular, now);
      if (candidates.length === 0) return { action: 'next', ticket: null, counter: counterView(counter) };
      for (const t of candidates) {
        const called = callTicket(t, counterId, p.sub, now);
        const next = occupyCounter(counter, called, now);
        try {
          await deps.queue.save({
            ticket: called,
            ticketWas: { state: t.state, version: t.version },
            counter: next,
            counterWas: counter.version,
          });
          return { action: 'next', ticket: ticketView(called), counter: counterView(next) };
        } catch (e) {
          if (!(e instanceof QueueWriteConflictError)) throw e;
          // The counter changed (another tab of the same counter): read it again. The ticket was
          // taken by another counter: try the next one.
          if (e.which === 'counter') throw e;
        }
      }
      // Everything read was taken meanwhile: read again, after a short random pause.
      throw allTaken;
    },
    NEXT_RETRY,
    {
      // The counter changed: read again at once; every ticket read was taken: after a pause.
      retryIf: (e) =>
        e === allTaken ? true : e instanceof QueueWriteConflictError && e.which === 'counter' ? 'now' : false,
      exhausted: () => new ConflictError('QUEUE_BUSY', 'Hàng chờ đang bận, vui lòng thử lại.'),
    },
  );
}

async function actOnCurrent(
  deps: QueueDeps,
  ward: string,
  point: string,
  counterId: string,
  action: Exclude<CounterAction, 'next'>,
): Promise<CounterResult> {
  const counter = (await deps.queue.counter(ward, counterId)) ?? freshCounter(ward, point, counterId);
  const serving = counter.serving;
  if (!serving) throw new ConflictError('COUNTER_IDLE', 'Quầy chưa gọi số nào.', counterView(counter));
  const t = await deps.queue.ticket({
    ward,
    point: counter.point,
    day: serving.day,
    group: serving.group,
    number: serving.number,
  });
  if (!t || t.counterId !== counterId || !AT_COUNTER.includes(t.state)) {
    // Another action on this counter may have moved the ticket between our two reads: that is a
    // concurrent change of the counter, not an inconsistent one.
    const current = await deps.queue.counter(ward, counterId);
    if (current && current.version !== counter.version) {
      throw new ConflictError(
        'COUNTER_CHANGED',
        'Quầy vừa được thao tác ở nơi khác; hãy tải lại.',
        counterView(current),
      );
    }
    throw new ConflictError(
      'TICKET_NOT_AT_COUNTER',
      `Số ${serving.display} không còn ở quầy này.`,
      counterView(counter),
    );
  }
  const now = deps.clock.now();
  const moved =
    action === 'recall' ? recallTicket(t, now) : action === 'skip' ? skipTicket(t, now) : finishTicket(t, now);
  const next = action === 'recall' ? reannounceCounter(counter, moved, now) : releaseCounter(counter, moved, now);
  try {
    await deps.queue.save({
      ticket: moved,
      ticketWas: { state: t.state, version: t.version },
      counter: next,
      counterWas: counter.version,
    });
  } catch (e) {
    if (!(e instanceof QueueWriteConflictError)) throw e;
    const current = (await deps.queue.counter(ward, counterId)) ?? counter;
    throw new ConflictError('COUNTER_CHANGED', 'Quầy vừa được thao tác ở nơi khác; hãy tải lại.', counterView(current));
  }
  return { action, ticket: ticketView(moved), counter: counterView(next) };
}

/** What the status board of a point shows: per counter, what it serves and what it last called. */
export interface BoardView {
  readonly ward: string;
  readonly point: string;
  readonly pointName: string;
  readonly day: string;
  readonly at: string;
  readonly counters: readonly {
    readonly counterId: string;
    readonly serving: {
      readonly display: string;
      readonly group: string;
      readonly calledAt: string;
      readonly lastCalledAt: string;
      readonly recalls: number;
      readonly priority: boolean;
    } | null;
    readonly lastCalled: {
      readonly display: string;
      readonly group: string;
      readonly at: string;
      readonly outcome?: 'served' | 'skipped';
      readonly priority: boolean;
    } | null;
  }[];
  /** Priority numbers (booked appointments) waiting, apart from the groups, in calling order. */
  readonly priority: readonly { readonly display: string; readonly slotStart?: string; readonly priority: true }[];
  readonly priorityPrefix: string;
  readonly waiting: readonly {
    readonly group: string;
    readonly groupName: string;
    readonly prefix: string;
    readonly count: number;
  }[];
  readonly totalWaiting: number;
  /** The next numbers, in the order the counters will call them (at most BOARD_UPCOMING). */
  readonly upcoming: readonly { readonly display: string; readonly group: string; readonly priority?: true }[];
}

/** Waiting numbers the board lists as "next". */
const BOARD_UPCOMING = 12;

/** The public board of a point (no personal data: numbers, groups and times only). */
export async function queueBoard(deps: QueueDeps, q: z.infer<typeof boardQuerySchema>): Promise<BoardView> {
  const matches = pointsWithId(q.point, await deps.wards.list()).filter((m) => !q.ward || m.ward.id === q.ward);
  const found = matches[0];
  if (!found) throw new NotFoundError('Điểm tiếp nhận', 'POINT_NOT_FOUND');
  if (matches.length > 1) {
    throw new UnprocessableError('AMBIGUOUS_POINT', 'Nhiều phường/xã có điểm tiếp nhận này; hãy chỉ rõ ward.');
  }
  const { ward, point } = found;
  const now = deps.clock.now();
  const day = queueDay(now);
  const [counters, counts, next] = await Promise.all([
    deps.queue.counters(ward.id, point.id, point.counters),
    deps.queue.waitingCounts(ward.id, point.id, day),
    deps.queue.waiting(
      ward.id,
      point.id,
      day,
      point.groups.map((g) => g.id),
      BOARD_UPCOMING,
    ),
  ]);
  const priorityWaiting =
    (counts[PRIORITY_GROUP.id] ?? 0) > 0
      ? callOrder(await deps.queue.waiting(ward.id, point.id, day, [PRIORITY_GROUP.id], 50), [], now)
      : [];
  const waiting = point.groups.map((g) => ({
    group: g.id,
    groupName: g.name,
    prefix: g.prefix,
    count: counts[g.id] ?? 0,
  }));
  return {
    ward: ward.id,
    point: point.id,
    pointName: point.name,
    day,
    at: now.toISOString(),
    counters: counters.map((c) => ({
      counterId: c.id,
      serving: c.serving
        ? {
            display: c.serving.display,
            group: c.serving.group,
            calledAt: c.serving.calledAt,
            lastCalledAt: c.serving.lastCalledAt,
            recalls: c.serving.recalls,
            priority: isPriority(c.serving),
          }
        : null,
      // Yesterday's last call is no news on today's board.
      lastCalled:
        c.lastCalled && queueDay(new Date(c.lastCalled.at)) === day
          ? {
              display: c.lastCalled.display,
              group: c.lastCalled.group,
              at: c.lastCalled.at,
              ...(c.lastCalled.outcome ? { outcome: c.lastCalled.outcome } : {}),
              priority: isPriority(c.lastCalled),
            }
          : null,
    })),
    waiting,
    upcoming: servingOrder(next).map((t) => ({
      display: t.display,
      group: t.group,
      ...((t as { priority?: unknown }).priority === true ? { priority: true as const } : {}),
    })),
    priority: priorityWaiting.map((t) => ({
      display: t.display,
      ...(t.slotStart ? { slotStart: t.slotStart } : {}),
      priority: true as const,
    })),
    priorityPrefix: PRIORITY_GROUP.prefix,
    totalWaiting: waiting.reduce((n, w) => n + w.count, 0) + (counts[PRIORITY_GROUP.id] ?? 0),
  };
}
