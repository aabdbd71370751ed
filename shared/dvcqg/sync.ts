/**
 * Keeping the National Public Service Portal (DVCQG) up to date with every dossier, in order,
 * through outages.
 *
 * Ordering. Every record we send carries the version of the status it shows: a step its history
 * version, a `DongBoHoSoMC` the version at which the dossier reached its current status. The
 * portal must only ever see those keys rise. So, per dossier:
 * - a sync runs under a lease (one holder at a time, per dossier: the ward is not serialised);
 *   the holder reads the STORED dossier after taking the lease, so whatever it sends is at least
 *   as new as anything sent before;
 * - `mark` is the highest key the portal has or may have (acknowledged, or sent with no answer);
 *   nothing below it is sent again; a step older than what the portal already has is dropped;
 * - a consumer that finds the lease taken records the version it wants (`wanted`) and leaves:
 *   the holder does not let the lease go while `wanted` is above what it sent, it loops;
 * - a redelivered event finds nothing newer than what was acknowledged and sends nothing.
 * What is not acknowledged is marked pending (a sparse index per ward); the reconciliation finds
 * it. The mark costs an index write to set and one to clear, so the common path (a first
 * delivery that the portal takes) never sets it: it is set when a sync fails, when the lease is
 * held by another (who may die), when the sync runs on a redelivered event (`markPending`: a first
 * attempt that died between claim and finish is marked by its retry, before anything is sent), and
 * by the reconciliation's own syncs. A first attempt that dies unmarked is healed by the queue's
 * retries, each of which marks; only an event whose every delivery dies leaves nothing behind,
 * and that one is in the queue's DLQ.
 */
import type { Procedure } from '../catalog.ts';
import type { Dossier, HistoryEntry } from '../dossier.ts';
import { LeaseLostError, PortalCallError, PortalNotConfiguredError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { type DossierRecord, dossierRecord, type ProgressRecord, progressRecord } from './payload.ts';

/** Why a portal call failed: `refused` (it answered, not "00": not delivered) or `unknown` (no answer). */
export type PortalFailure = 'refused' | 'unknown';

/** The port to the portal; an adapter speaks its protocol (session, madonvi, error codes). */
export interface PortalClient {
  /** `DongBoHoSoMC`: `isUpdating` false the first time, true after. */
  syncDossier(record: DossierRecord, isUpdating: boolean): Promise<void>;
  /** `CapNhatTienDoHoSoMC`: one processing step. */
  updateProgress(record: ProgressRecord): Promise<void>;
  /** `TraCuuHoSo`: whether the portal already has the dossier. */
  hasDossier(code: string): Promise<boolean>;
}

/** What we know the portal has of one dossier (kept beside the dossier, in its partition). */
export interface PortalSyncState {
  readonly dossierId: string;
  readonly ward: string;
  readonly code: string;
  /** The dossier version whose `DongBoHoSoMC` the portal acknowledged (0: none). */
  readonly version: number;
  /** The last step (history version) the portal acknowledged (0: none). */
  readonly stepVersion: number;
  /** The highest record key the portal has or may have (see the module comment). */
  readonly mark: number;
  /** The portal has the dossier (a `DongBoHoSoMC` with isUpdating False was acknowledged). */
  readonly created: boolean;
  /** A first `DongBoHoSoMC` was sent without an answer: ask the portal (TraCuuHoSo) before the next. */
  readonly createTried?: boolean;
  /** The highest dossier version a consumer asked to have synced. */
  readonly wanted: number;
  /** When the last acknowledgement came. */
  readonly at?: string;
  /** Since when a change has been waiting (absent when up to date). */
  readonly pendingSince?: string;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
}

export const emptyState = (d: Pick<Dossier, 'id' | 'ward' | 'code'>): PortalSyncState => ({
  dossierId: d.id,
  ward: d.ward,
  code: d.code,
  version: 0,
  stepVersion: 0,
  mark: 0,
  created: false,
  wanted: 0,
});

/** Progress acknowledged by the portal, written under the lease. */
export interface SyncProgress {
  readonly version?: number;
  readonly stepVersion?: number;
  readonly mark?: number;
  readonly created?: boolean;
  readonly createTried?: boolean;
}

/** Where the sync state lives; every write is conditional (lease, versions). */
export interface PortalSyncStore {
  get(dossierId: string): Promise<PortalSyncState | undefined>;
  /**
   * Records that `wanted` should reach the portal and takes the dossier's lease if it is free;
   * undefined when another holder has it (that holder will see `wanted`), and then the dossier is
   * marked pending whatever `markPending` says (the holder may die). With the lease taken, it is
   * marked pending (since `now`, unless it already is) only if `markPending`.
   */
  claim(
    d: Pick<Dossier, 'id' | 'ward' | 'code'>,
    wanted: number,
    lease: string,
    now: Date,
    leaseMs: number,
    markPending: boolean,
  ): Promise<PortalSyncState | undefined>;
  /** Records acknowledged progress and extends the lease; throws LeaseLostError if it is gone. */
  ack(dossierId: string, lease: string, progress: SyncProgress, now: Date, leaseMs: number): Promise<PortalSyncState>;
  /**
   * Records the last acknowledged progress (if any) and, in the same write, lets the lease go after
   * sending everything up to `sentVersion` and clears the pending mark; false (progress recorded,
   * lease kept and extended) when a newer version was asked for meanwhile: send again.
   */
  finish(
    dossierId: string,
    lease: string,
    sentVersion: number,
    progress: SyncProgress,
    now: Date,
    leaseMs: number,
  ): Promise<boolean>;
  /**
   * Lets the lease go after a failure and marks the dossier pending (since `since`, unless it
   * already is); nothing is written if the lease is gone.
   */
  fail(
    d: Pick<Dossier, 'id' | 'ward'>,
    lease: string,
    progress: SyncProgress,
    error: string,
    now: Date,
    since: Date,
  ): Promise<void>;
  /** A ward's dossiers with a change not acknowledged, oldest first. */
  listPending(
    ward: string,
    opts: { before?: string; limit: number; cursor?: string },
  ): Promise<{ items: readonly PortalSyncState[]; next?: string }>;
}

/** One portal call of a plan, with the key (status version) it carries. */
type PlannedCall =
  | { readonly kind: 'dossier'; readonly key: number; readonly version: number; readonly isUpdating: boolean | 'ask' }
  | { readonly kind: 'step'; readonly key: number; readonly entry: HistoryEntry };

/**
 * The calls that bring the portal from `state` to dossier `d` (with its history), in the order
 * they must be made: keys never decrease, nothing below `mark` is sent, and the first record of
 * a dossier is its `DongBoHoSoMC` (steps older than it are dropped: the portal has newer).
 */
export function planSync(state: PortalSyncState, d: Dossier, history: readonly HistoryEntry[]): PlannedCall[] {
  const steps = [...history].filter((h) => h.version <= d.version).sort((a, b) => a.version - b.version);
  const statusKey = steps.at(-1)?.version ?? d.version;
  const calls: PlannedCall[] = [];
  const needDossier = !state.created || d.version > state.version;
  const stepWanted = (h: HistoryEntry) => h.version > state.stepVersion && h.version >= state.mark;
  if (!state.created) {
    calls.push({ kind: 'dossier', key: statusKey, version: d.version, isUpdating: state.createTried ? 'ask' : false });
  } else {
    for (const h of steps)
      if (h.version < statusKey && stepWanted(h)) calls.push({ kind: 'step', key: h.version, entry: h });
    if (needDossier) calls.push({ kind: 'dossier', key: statusKey, version: d.version, isUpdating: true });
  }
  const last = steps.at(-1);
  if (last && last.version === statusKey && stepWanted(last))
    calls.push({ kind: 'step', key: last.version, entry: last });
  return calls;
}

interface PortalSyncDeps {
  readonly dossiers: {
    get(id: string): Promise<Dossier | undefined>;
    history(id: string): Promise<readonly HistoryEntry[]>;
    getWithHistory(id: string): Promise<{ dossier: Dossier; history: readonly HistoryEntry[] } | undefined>;
  };
  readonly catalog: { get(id: string): Promise<Procedure | undefined> };
  /** The ward directory: the processing unit's name. */
  readonly wards?: { get(id: string): Promise<{ readonly centerName: string } | undefined> };
  readonly store: PortalSyncStore;
  readonly portal: PortalClient;
  readonly clock: Clock;
  /** How long a holder keeps a dossier's lease without news (longer than the function may run). */
  readonly leaseMs: number;
  readonly newLease?: () => string;
}

type SyncOutcome =
  | { readonly result: 'sent'; readonly calls: number; readonly version: number }
  | { readonly result: 'up-to-date'; readonly version: number }
  | { readonly result: 'busy' }
  | { readonly result: 'missing' }
  | { readonly result: 'not-configured' };

/** The most rounds one holder makes when changes keep coming while it sends. */
const MAX_ROUNDS = 20;

/**
 * Sends a dossier's current state to the portal (and its steps not yet there), under the
 * dossier's lease. Throws when the portal did not take everything: the caller retries later.
 */
export async function syncDossierToPortal(
  deps: PortalSyncDeps,
  dossierId: string,
  /**
   * The dossier and its sync state as the caller already read them (a batch read), if it did:
   * saves the first two reads. Both are read again under the lease where it matters.
   */
  readAhead?: { readonly dossier: Dossier; readonly state: PortalSyncState | undefined },
  /**
   * `markPending`: mark the dossier pending when the lease is taken, before anything is sent
   * (default true). The event-driven sync passes false on an event's first delivery, true on a
   * redelivery (an attempt may have died holding the lease, unmarked).
   */
  opts: { readonly markPending?: boolean } = {},
): Promise<SyncOutcome> {
  const first = readAhead?.dossier ?? (await deps.dossiers.get(dossierId));
  if (!first) return { result: 'missing' };
  // A redelivered event of a change the portal already has: nothing to send, nothing to mark
  // pending (a redelivery claims with the mark: it would list the dossier as unsynced until the
  // lease is let go).
  const known = readAhead ? readAhead.state : await deps.store.get(dossierId);
  if (known && !known.pendingSince && known.version >= first.version) {
    if (planSync(known, first, await deps.dossiers.history(dossierId)).length === 0) {
      return { result: 'up-to-date', version: first.version };
    }
  }
  const lease = deps.newLease?.() ?? crypto.randomUUID();
  // Since when this change waits, should it fail.
  const claimedAt = deps.clock.now();
  let state = await deps.store.claim(first, first.version, lease, claimedAt, deps.leaseMs, opts.markPending ?? true);
  if (!state) return { result: 'busy' };
  let calls = 0;
  let d = first;
  // What the portal took and the store does not know yet (written by the next ack, by finish or by fail).
  let acked: SyncProgress = {};
  let current: PlannedCall | undefined;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // Read under the lease: nothing sent before this read was newer than what it returns.
      const read = await deps.dossiers.getWithHistory(dossierId);
      if (!read) {
        await deps.store.fail(first, lease, {}, 'dossier not found', deps.clock.now(), claimedAt);
        return { result: 'missing' };
      }
      d = read.dossier;
      const history = read.history;
      const [procedure, ward] = await Promise.all([deps.catalog.get(d.procedureId), deps.wards?.get(d.ward)]);
      const portalProcedure = {
        ...(ward ? { unitName: ward.centerName } : {}),
        name: procedure?.name ?? d.procedureName,
        ...(procedure?.nationalCode ? { nationalCode: procedure.nationalCode } : {}),
        ...(procedure?.fieldCode ? { fieldCode: procedure.fieldCode } : {}),
        ...(procedure?.field ? { field: procedure.field } : {}),
      };
      // Acknowledged progress is written before any call with a higher key is made (so that a
      // holder that dies never leaves a lower key to be sent after a higher one); calls with the
      // same key (a status's DongBoHoSoMC and its step) share one write, and the last group's
      // write is the one that lets the lease go.
      acked = {};
      let ackedKey: number | undefined;
      for (const call of planSync(state, d, history)) {
        if (ackedKey !== undefined && call.key > ackedKey) {
          state = await deps.store.ack(dossierId, lease, acked, deps.clock.now(), deps.leaseMs);
          acked = {};
        }
        current = call;
        if (call.kind === 'dossier') {
          const record = dossierRecord(d, portalProcedure);
          if (call.isUpdating === 'ask') await createOrUpdate(deps.portal, record);
          else await deps.portal.syncDossier(record, call.isUpdating);
          state = { ...state, version: call.version, created: true };
          acked = { ...acked, version: call.version, created: true };
        } else {
          await deps.portal.updateProgress(progressRecord(d, call.entry));
          state = { ...state, stepVersion: call.entry.version };
          acked = { ...acked, stepVersion: call.entry.version };
        }
        state = { ...state, mark: Math.max(state.mark, call.key) };
        acked = { ...acked, mark: state.mark };
        ackedKey = call.key;
        current = undefined;
        calls++;
      }
      if (await deps.store.finish(dossierId, lease, d.version, acked, deps.clock.now(), deps.leaseMs)) {
        return calls ? { result: 'sent', calls, version: d.version } : { result: 'up-to-date', version: d.version };
      }
      acked = {};
    }
    throw new Error(`dossier ${dossierId} kept changing while it was sent to the portal`);
  } catch (e) {
    if (e instanceof LeaseLostError) throw e;
    const progress: { -readonly [K in keyof SyncProgress]: SyncProgress[K] } = { ...acked };
    if (current && e instanceof PortalCallError) {
      // The portal may have taken it: nothing older may follow.
      if (e.outcome === 'unknown') progress.mark = Math.max(state.mark, current.key);
      // A first record that failed is checked (TraCuuHoSo) before the next: it may exist already.
      if (current.kind === 'dossier' && !state.created) progress.createTried = true;
    }
    // A failure that this write does not record (the store is down too) is thrown whatever it
    // was: the queue redelivers the event, and that sync marks the dossier pending.
    const recorded = await deps.store.fail(first, lease, progress, describe(e), deps.clock.now(), claimedAt).then(
      () => true,
      () => false,
    );
    if (recorded && e instanceof PortalNotConfiguredError) return { result: 'not-configured' };
    throw e;
  }
}

/**
 * A first record after one that got no answer: ask the portal whether it has the dossier; if it
 * cannot say (no TraCuuHoSo), try creating it and, if that is refused, updating it.
 */
async function createOrUpdate(portal: PortalClient, record: DossierRecord): Promise<void> {
  let known: boolean | undefined;
  try {
    known = await portal.hasDossier(record.MaHoSo);
  } catch (e) {
    if (!(e instanceof PortalCallError) || e.outcome === 'unknown') throw e;
  }
  if (known !== undefined) return portal.syncDossier(record, known);
  try {
    await portal.syncDossier(record, false);
  } catch (e) {
    if (!(e instanceof PortalCallError) || e.outcome === 'unknown') throw e;
    await portal.syncDossier(record, true);
  }
}

/** A short reason for operators; never a payload (citizens' data stays out of the logs). */
function describe(e: unknown): string {
  if (e instanceof PortalCallError) return `${e.outcome}: ${e.message}`.slice(0, 300);
  return (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);
}

interface ReconcileResult {
  readonly checked: number;
  readonly sent: number;
  readonly failed: number;
}

/**
 * Finds the dossiers of these wards marked pending (a change the portal may not have: a failed
 * sync, a held lease, a redelivery; see the module comment) for longer than `graceMs` (the
 * event-driven sync had its chance) and sends them again.
 */
export async function reconcilePortal(
  deps: PortalSyncDeps,
  wards: readonly string[],
  opts: { graceMs: number; limit: number; timeLeft: () => boolean },
): Promise<ReconcileResult> {
  let checked = 0;
  let sent = 0;
  let failed = 0;
  const before = new Date(deps.clock.now().getTime() - opts.graceMs).toISOString();
  for (const ward of wards) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.listPending(ward, { before, limit: opts.limit, ...(cursor ? { cursor } : {}) });
      for (const s of page.items) {
        if (!opts.timeLeft()) return { checked, sent, failed };
        checked++;
        try {
          // Marked already (listed pending): claiming with the mark keeps it if someone cleared it meanwhile.
          const r = await syncDossierToPortal(deps, s.dossierId, undefined, { markPending: true });
          if (r.result === 'sent' || r.result === 'up-to-date') sent++;
        } catch {
          failed++;
        }
      }
      cursor = page.next;
    } while (cursor);
  }
  return { checked, sent, failed };
}
