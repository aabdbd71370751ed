/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters
 * implement them with the AWS SDK; tests may implement them in memory for one module.
 */
import type { CalendarYear, WorkingCalendar } from './calendar.ts';
import type { Procedure } from './catalog.ts';
import type { Dossier, HistoryEntry, Status } from './dossier.ts';
import type { AnyDomainEvent } from './events.ts';
import type { DossierFact } from './indicators.ts';
import type { ReceiptIssue } from './receipts/receipts.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Public lookup attempts (chống dò mã hồ sơ), counted per client (source IP) and dossier code in
 * one clock hour. `take` counts an attempt and answers whether it was still within `limit`, in one
 * atomic step (concurrent attempts cannot all pass); a lookup that proved right gives its attempt
 * back, so only misses stay counted. Per client, so a stranger's misses never lock the citizen out.
 */
export interface LookupGuard {
  take(client: string, code: string, hour: string, limit: number): Promise<boolean>;
  giveBack(client: string, code: string, hour: string): Promise<void>;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string;
}

export interface CatalogRepository {
  get(id: string): Promise<Procedure | undefined>;
  listByWard(ward: string, opts: { limit: number; cursor?: string }): Promise<Page<Procedure>>;
  /**
   * Without `expectedVersion`, creates (ConflictError STALE_VERSION when the id exists); with it,
   * replaces only that stored version (STALE_VERSION otherwise).
   */
  put(p: Procedure, expectedVersion?: number): Promise<void>;
}

export interface CalendarRepository {
  /** The ward's calendar: stored years over the shipped defaults. */
  get(ward: string): Promise<WorkingCalendar>;
  putYear(ward: string, year: number, cfg: CalendarYear): Promise<void>;
}

export interface DossierFilter {
  readonly status?: Status;
  /** Only open dossiers whose clock runs, due before this moment (soonest first). */
  readonly dueBefore?: string;
  /** With `dueBefore`: and due at or after this moment. */
  readonly dueAfter?: string;
  readonly procedureId?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface NewDossier {
  readonly dossier: Dossier;
  readonly history: HistoryEntry;
  readonly events: readonly AnyDomainEvent[];
}

/** A conditional change of a dossier, as one transaction with its history entry and its events. */
export interface DossierChange {
  /** The dossier's next state, written only if its stored version is still `expectedVersion`. */
  readonly next: Dossier;
  readonly expectedVersion: number;
  readonly history?: HistoryEntry | undefined;
  readonly events: readonly AnyDomainEvent[];
}

export interface DossierRepository {
  /**
   * Takes the next number of the unit's day (gap-free: the counter and the dossier are one
   * transaction) and writes the dossier, its first history entry and its events.
   */
  create(unitCode: string, day: string, build: (code: string) => NewDossier): Promise<Dossier>;
  get(id: string): Promise<Dossier | undefined>;
  getByCode(code: string): Promise<Dossier | undefined>;
  /**
   * Commits a change: writes `next` only if the stored version is still `expectedVersion`, with
   * its history entry and events in the same transaction (a planned move, see shared/transition.ts,
   * or a change beside the lifecycle: an extension, a rating). Throws ConflictError('STALE_VERSION')
   * with the current state. With `receipt`, the same transaction issues it (a fee taken in cash;
   * see shared/receipts).
   */
  commit(change: DossierChange, receipt?: ReceiptIssue): Promise<void>;
  history(id: string): Promise<readonly HistoryEntry[]>;
  /**
   * The dossier and its history, read together and strongly consistent (one request where the
   * store keeps them side by side): what `get` and `history` return, at one moment.
   */
  getWithHistory(id: string): Promise<{ dossier: Dossier; history: readonly HistoryEntry[] } | undefined>;
  listByWard(ward: string, filter: DossierFilter): Promise<Page<Dossier>>;
  listByOwner(sub: string, filter: DossierFilter): Promise<Page<Dossier>>;
  /** Dossiers of a ward submitted in [fromIso, toIso], oldest first (the register, form 07). */
  listReceived?(
    ward: string,
    fromIso: string,
    toIso: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<Dossier>>;
  /** Open dossiers of a ward whose clock runs, due before `before`, soonest first. */
  listDue(ward: string, before: string, opts: { limit: number; cursor?: string }): Promise<Page<Dossier>>;
}

/** The lists of the community digital teams and of citizens identified by VNeID. */
export interface DossierListings {
  /** The dossiers a helper submitted in their ward, newest first. */
  listByHelper(ward: string, sub: string, filter: DossierFilter): Promise<Page<Dossier>>;
  /**
   * A citizen's dossiers: those they submitted and those whose applicant has their identity
   * number (whoever submitted them), newest first, each once.
   */
  listFollowed(sub: string, idNumber: string, filter: DossierFilter): Promise<Page<Dossier>>;
}

/** A deadline warning, raised once per dossier, kind and deadline. */
export interface SlaAlarm {
  readonly dossierId: string;
  readonly kind: 'overdue' | 'due-soon';
  /** The deadline warned about (a new deadline warns again). */
  readonly dueAt: string;
}

export interface SlaAlarms {
  /** Records the alarm's marker and writes `event` in one transaction; false if the marker already existed. */
  raiseOnce(alarm: SlaAlarm, event: AnyDomainEvent): Promise<boolean>;
}

/** Writes the indicator facts (số liệu thống kê): one row per dossier, kept from its changes. */
export interface FactWriter {
  /** Writes the fact unless a newer version of it is already stored; false when nothing changed. */
  put(fact: DossierFact): Promise<boolean>;
}

/** Reads the indicator facts. */
export interface FactStore {
  /** Facts of the dossiers of a ward received in [fromIso, toIso], of one procedure if given. */
  received(ward: string, fromIso: string, toIso: string, procedureId?: string): Promise<DossierFact[]>;
}

/**
 * The event bus, as the outbox relay sees it: publishes events in the order given and resolves to
 * how many of them, from the first, certainly went (all of them, or the position of the first one
 * refused or not sent; what follows it may be sent again: consumers deduplicate by event id).
 */
export interface EventPublisher {
  publish(events: readonly AnyDomainEvent[]): Promise<number>;
}
