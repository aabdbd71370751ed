/**
 * Queue numbers (cấp số thứ tự) at a ward's receiving points (điểm tiếp nhận): the kiosk issues
 * numbers per service group (nhóm dịch vụ), counters (quầy) call them, the board shows them.
 *
 * Pure domain: numbering and its display, the queue day, the ticket state machine, durations,
 * which tickets a counter may take, and the repository port. No AWS SDK here.
 */
import { ConflictError, UnprocessableError } from './errors.ts';
import { vnDate } from './vn-time.ts';
import { type ReceivingPoint, SEED_WARDS, type Ward } from './wards.ts';

/**
 * The queue day of an instant: its calendar date in Asia/Ho_Chi_Minh, as `YYYYMMDD`.
 * Numbers restart at local midnight, not UTC midnight.
 */
export function queueDay(at: Date): string {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid date');
  return vnDate(t).replace(/-/g, '');
}

/**
 * What the slip and the board show: the group's letter prefix and the number on at least three
 * digits (`A012`); past 999 the number simply grows (`A1000`).
 */
export function ticketDisplay(prefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`invalid ticket number: ${n}`);
  return `${prefix}${String(n).padStart(3, '0')}`;
}

/**
 * Ticket states: `waiting` → `called` → (`recalled`, any number of times) → `served` | `skipped`
 * (no-show, vắng mặt). Nothing leaves `served` or `skipped`.
 */
export const TICKET_STATES = ['waiting', 'called', 'recalled', 'served', 'skipped'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** The legal moves of a ticket. */
const TICKET_MOVES: Readonly<Record<TicketState, readonly TicketState[]>> = {
  waiting: ['called'],
  called: ['recalled', 'served', 'skipped'],
  recalled: ['recalled', 'served', 'skipped'],
  served: [],
  skipped: [],
};

/** States in which a ticket is at a counter (being served). */
export const AT_COUNTER: readonly TicketState[] = ['called', 'recalled'];

/** Whether a ticket may move from one state to another. */
export const canMoveTicket = (from: TicketState, to: TicketState): boolean => TICKET_MOVES[from].includes(to);

/** What identifies a ticket: a number is unique per ward, point, queue day and group. */
export interface TicketKey {
  readonly ward: string;
  readonly point: string;
  /** Queue day, `YYYYMMDD` in Asia/Ho_Chi_Minh. */
  readonly day: string;
  readonly group: string;
  readonly number: number;
}

/** A queue ticket. It holds no personal data: a number, a group, times and the counter. */
export interface Ticket extends TicketKey {
  readonly id: string;
  readonly prefix: string;
  readonly groupName: string;
  /** `A012`. */
  readonly display: string;
  readonly state: TicketState;
  /** Incremented on every change; writes are conditional on it. */
  readonly version: number;
  readonly issuedAt: string;
  /** First call. */
  readonly calledAt?: string;
  /** Latest call or recall. */
  readonly lastCalledAt?: string;
  readonly recalls: number;
  readonly counterId?: string;
  /** The official who called it (`sub`). */
  readonly calledBy?: string;
  readonly servedAt?: string;
  readonly skippedAt?: string;
  /** Served or skipped. */
  readonly endedAt?: string;
  /** From issue to the first call. */
  readonly waitingMs?: number;
  /** From the first call to served. */
  readonly servingMs?: number;
  /** A priority number (số ưu tiên) taken with a booking code (shared/appointments.ts). */
  readonly priority?: true;
  /** With `priority`: the booking and the start of its slot. */
  readonly appointmentId?: string;
  readonly slotStart?: string;
}

/** The ticket a counter is serving, as the counter remembers it. */
export interface ServingRef {
  readonly ticketId: string;
  readonly day: string;
  readonly group: string;
  readonly number: number;
  readonly display: string;
  readonly calledAt: string;
  readonly lastCalledAt: string;
  readonly recalls: number;
}

/** The last number a counter called, kept for the board after the ticket is done. */
export interface LastCalled {
  readonly ticketId: string;
  readonly display: string;
  readonly group: string;
  readonly at: string;
  readonly outcome?: 'served' | 'skipped';
}

/** A counter (quầy) of a receiving point: free, or serving one ticket. */
export interface Counter {
  readonly id: string;
  readonly ward: string;
  readonly point: string;
  /** 0 for a counter never used; incremented on every change; writes are conditional on it. */
  readonly version: number;
  readonly serving?: ServingRef;
  readonly lastCalled?: LastCalled;
  readonly updatedAt?: string;
}

export const COUNTER_ACTIONS = ['next', 'recall', 'skip', 'finish'] as const;
/** What an official does at a counter: call the next number, call again, no-show, done. */
export type CounterAction = (typeof COUNTER_ACTIONS)[number];

/** Narrows a path segment to a counter action. */
export const isCounterAction = (v: unknown): v is CounterAction =>
  typeof v === 'string' && (COUNTER_ACTIONS as readonly string[]).includes(v);

/** A service group of a point: id, name and the letter prefix of its numbers. */
type ServiceGroup = ReceivingPoint['groups'][number];

/** A receiving point with its ward. */
export interface PointRef {
  readonly ward: Ward;
  readonly point: ReceivingPoint;
}

/** The point `pointId` of the ward `wardId` (among `wards`: the directory's), if the ward has it. */
export function findPoint(wardId: string, pointId: string, wards: readonly Ward[] = SEED_WARDS): PointRef | undefined {
  const ward = wards.find((w) => w.id === wardId);
  const point = ward?.points.find((p) => p.id === pointId);
  return ward && point ? { ward, point } : undefined;
}

/** Every ward's point with this id (point ids are public; the board is looked up by them). */
export function pointsWithId(pointId: string, wards: readonly Ward[] = SEED_WARDS): readonly PointRef[] {
  return wards.flatMap((ward) => ward.points.filter((p) => p.id === pointId).map((point) => ({ ward, point })));
}

/** The point of the ward that has the counter `counterId`; undefined if the ward has no such counter. */
export function findCounter(
  wardId: string,
  counterId: string,
  wards: readonly Ward[] = SEED_WARDS,
): PointRef | undefined {
  const ward = wards.find((w) => w.id === wardId);
  const point = ward?.points.find((p) => p.counters.includes(counterId));
  return ward && point ? { ward, point } : undefined;
}

/** A group of the point; 422 UNKNOWN_GROUP otherwise. */
export function groupOf(point: ReceivingPoint, groupId: string): ServiceGroup {
  const g = point.groups.find((x) => x.id === groupId);
  if (!g) throw new UnprocessableError('UNKNOWN_GROUP', `Nhóm dịch vụ "${groupId}" không có tại điểm tiếp nhận này.`);
  return g;
}

/**
 * The groups a counter takes tickets from: all of its point's groups, or the requested subset
 * (each must be a group of the point, else 422 UNKNOWN_GROUP).
 */
export function eligibleGroups(point: ReceivingPoint, requested?: readonly string[]): readonly string[] {
  if (!requested || requested.length === 0) return point.groups.map((g) => g.id);
  for (const r of requested) groupOf(point, r);
  return point.groups.map((g) => g.id).filter((id) => requested.includes(id));
}

/** A freshly issued ticket. */
export function newTicket(key: TicketKey, group: ServiceGroup, at: Date): Ticket {
  return {
    ...key,
    id: ticketId(key),
    prefix: group.prefix,
    groupName: group.name,
    display: ticketDisplay(group.prefix, key.number),
    state: 'waiting',
    version: 1,
    issuedAt: at.toISOString(),
    recalls: 0,
  };
}

/** A readable, unique id: `bimson.badinh.20260609.hotich.12`. */
const ticketId = (k: TicketKey): string => `${k.ward}.${k.point}.${k.day}.${k.group}.${k.number}`;

/** Milliseconds from `from` to `to`, never negative (a clock set back must not give negative durations). */
export const durationMs = (from: string, to: string): number => Math.max(0, Date.parse(to) - Date.parse(from));

function assertMove(t: Ticket, to: TicketState): void {
  if (!canMoveTicket(t.state, to)) {
    throw new ConflictError(
      'ILLEGAL_TICKET_MOVE',
      `Số ${t.display} đang ở trạng thái "${t.state}", không thể chuyển.`,
      {
        ticketId: t.id,
        display: t.display,
        state: t.state,
      },
    );
  }
}

/** A waiting ticket called to a counter: records the first call and the waiting time. */
export function callTicket(t: Ticket, counterId: string, by: string, at: Date): Ticket {
  assertMove(t, 'called');
  const now = at.toISOString();
  return {
    ...t,
    state: 'called',
    version: t.version + 1,
    counterId,
    calledBy: by,
    calledAt: now,
    lastCalledAt: now,
    waitingMs: durationMs(t.issuedAt, now),
  };
}

/** The ticket at the counter announced again. */
export function recallTicket(t: Ticket, at: Date): Ticket {
  assertMove(t, 'recalled');
  return { ...t, state: 'recalled', version: t.version + 1, recalls: t.recalls + 1, lastCalledAt: at.toISOString() };
}

/** The ticket at the counter did not come (no-show). */
export function skipTicket(t: Ticket, at: Date): Ticket {
  assertMove(t, 'skipped');
  const now = at.toISOString();
  return { ...t, state: 'skipped', version: t.version + 1, skippedAt: now, endedAt: now };
}

/** The ticket at the counter has been served: records the serving time (from the first call). */
export function finishTicket(t: Ticket, at: Date): Ticket {
  assertMove(t, 'served');
  const now = at.toISOString();
  return {
    ...t,
    state: 'served',
    version: t.version + 1,
    servedAt: now,
    endedAt: now,
    servingMs: durationMs(t.calledAt ?? now, now),
  };
}

/** A counter that has never been used. */
export const freshCounter = (ward: string, point: string, id: string): Counter => ({ id, ward, point, version: 0 });

const servingRef = (t: Ticket): ServingRef => ({
  ticketId: t.id,
  day: t.day,
  group: t.group,
  number: t.number,
  display: t.display,
  calledAt: t.calledAt ?? t.lastCalledAt ?? t.issuedAt,
  lastCalledAt: t.lastCalledAt ?? t.calledAt ?? t.issuedAt,
  recalls: t.recalls,
});

/** The counter after calling `t` (it must be free). */
export function occupyCounter(c: Counter, t: Ticket, at: Date): Counter {
  if (c.serving) throw new ConflictError('COUNTER_BUSY', busyMessage(c.serving.display), { counterId: c.id });
  return reannounceCounter(c, t, at);
}

/** The counter after announcing `t` (again): it serves `t`, whose call is the last one. */
export function reannounceCounter(c: Counter, t: Ticket, at: Date): Counter {
  return {
    ...c,
    version: c.version + 1,
    serving: servingRef(t),
    lastCalled: { ticketId: t.id, display: t.display, group: t.group, at: t.lastCalledAt ?? at.toISOString() },
    updatedAt: at.toISOString(),
  };
}

/** The counter freed after its ticket was served or skipped. */
export function releaseCounter(c: Counter, t: Ticket, at: Date): Counter {
  const { serving: _drop, ...rest } = c;
  const outcome = t.state === 'served' ? 'served' : 'skipped';
  return {
    ...rest,
    version: c.version + 1,
    lastCalled: { ticketId: t.id, display: t.display, group: t.group, at: t.lastCalledAt ?? at.toISOString(), outcome },
    updatedAt: at.toISOString(),
  };
}

/** The message of 409 COUNTER_BUSY. */
export const busyMessage = (display: string): string =>
  `Quầy đang phục vụ số ${display}; hãy hoàn thành hoặc bỏ qua số này trước khi gọi số mới.`;

/**
 * The order in which waiting tickets are called: oldest first across groups; within a group,
 * always by number, so that two numbers issued in the same instant are never called backwards.
 */
export function servingOrder(tickets: readonly Ticket[]): Ticket[] {
  const byTime = [...tickets].sort(
    (a, b) =>
      a.issuedAt.localeCompare(b.issuedAt) ||
      a.day.localeCompare(b.day) ||
      a.group.localeCompare(b.group) ||
      a.number - b.number,
  );
  // Each group keeps its slots in time order, filled with its tickets in number order.
  const numbers = new Map<string, Ticket[]>();
  for (const t of byTime) numbers.set(t.group, [...(numbers.get(t.group) ?? []), t]);
  for (const list of numbers.values()) list.sort((a, b) => a.day.localeCompare(b.day) || a.number - b.number);
  const taken = new Map<string, number>();
  return byTime.map((slot) => {
    const i = taken.get(slot.group) ?? 0;
    taken.set(slot.group, i + 1);
    return numbers.get(slot.group)?.[i] ?? slot;
  });
}

/** Waiting tickets of a group ahead of `t` (issued before it), given the point's waiting tickets. */
export const waitingAheadOf = (t: Ticket, waiting: readonly Ticket[]): number =>
  waiting.filter((w) => w.group === t.group && w.day === t.day && w.number < t.number && w.state === 'waiting').length;

/** A change of one ticket and its counter, written together, each only if unchanged since read. */
export interface QueueChange {
  readonly ticket: Ticket;
  /** The state and version the stored ticket must still have. */
  readonly ticketWas: Pick<Ticket, 'state' | 'version'>;
  readonly counter: Counter;
  /** The version the stored counter must still have (0: it must not exist yet). */
  readonly counterWas: number;
}

/** Where queue tickets and counters are kept. */
export interface QueueRepository {
  /**
   * Takes the next number of (ward, point, day, group) atomically (unique and increasing under
   * concurrency) and stores the ticket `build` makes from it; returns it with the number of
   * tickets of its group waiting before it.
   */
  issue(
    scope: Omit<TicketKey, 'number'>,
    build: (n: number) => Ticket,
  ): Promise<{ readonly ticket: Ticket; readonly waitingAhead: number }>;
  /** A ticket, read consistently. */
  ticket(key: TicketKey): Promise<Ticket | undefined>;
  /** A counter, read consistently; undefined if it has never been used. */
  counter(ward: string, counterId: string): Promise<Counter | undefined>;
  /** Counters of a point for the board (never-used ones as fresh counters), in the given order. */
  counters(ward: string, point: string, ids: readonly string[]): Promise<readonly Counter[]>;
  /**
   * Up to `limit` waiting tickets of a point's day in the given groups, oldest first. The list
   * may be slightly stale; the conditional write of `save` is what decides.
   */
  waiting(
    ward: string,
    point: string,
    day: string,
    groups: readonly string[],
    limit: number,
  ): Promise<readonly Ticket[]>;
  /** Waiting tickets of a point's day, counted per group. */
  waitingCounts(ward: string, point: string, day: string): Promise<Readonly<Record<string, number>>>;
  /** Writes the ticket and the counter in one transaction; throws QueueWriteConflictError on a lost race. */
  save(change: QueueChange): Promise<void>;
}
