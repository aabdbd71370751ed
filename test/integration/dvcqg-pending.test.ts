/**
 * When the national portal sync marks a dossier pending (GSI3 `WARD#w#DVCQG`, `pendingSince`):
 * the domain's sync (shared/dvcqg/sync.ts) with the DynamoDB store on the shared stack's DynamoDB
 * Local, a portal stand-in that answers, refuses or hangs (an attempt that dies), and a clock of
 * the test's. A first delivery that the portal takes writes no index key; a failure, a held lease
 * and a redelivery mark it, so the reconciliation finds whatever the portal may not have.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#functions/adapters/clients.ts';
import { DynamoPortalSyncStore, readDossiersWithSyncState } from '#functions/adapters/dynamo-portal-sync.ts';
import { keys } from '#functions/adapters/keys.ts';
import type { Dossier, HistoryEntry, Status } from '#shared/dossier.ts';
import { type PortalClient, reconcilePortal, syncDossierToPortal } from '#shared/dvcqg/sync.ts';
import { PortalCallError } from '#shared/errors.ts';
import { countingClient } from '../helpers/counting-client.ts';
import { type Stack, sharedStack } from '../helpers/stack.ts';

// A ward of this file's own: its pending list holds only this file's dossiers.
const WARD = `pending-${crypto.randomUUID().slice(0, 8)}`;
const LEASE_MS = 10_000;

let s: Stack;
let store: DynamoPortalSyncStore;
/** Every UpdateItem the store sent, with its key. */
const updates: { PK: string; expression: string }[] = [];
/** Runs before each UpdateItem is sent, when set (a test holds a write back with it). */
let beforeUpdate: ((expression: string) => Promise<void>) | undefined;

beforeAll(async () => {
  s = await sharedStack();
  const db = dynamo();
  const spy = {
    send: async (cmd: unknown) => {
      if (cmd instanceof UpdateCommand) {
        const expression = String(cmd.input.UpdateExpression);
        updates.push({ PK: String(cmd.input.Key?.PK), expression });
        await beforeUpdate?.(expression);
      }
      return db.send(cmd as never);
    },
  } as unknown as DynamoDBDocumentClient;
  store = new DynamoPortalSyncStore(spy, tableName());
});
afterAll(() => s?.stop());

let nowMs = Date.parse('2026-06-09T01:00:00.000Z');
const clock = { now: () => new Date(nowMs) };

const dossiers = new Map<string, { d: Dossier; history: HistoryEntry[] }>();

/** A dossier at `statuses.at(-1)`, one history entry per status (version = its index + 1). */
function put(id: string, statuses: readonly Status[]): Dossier {
  const history = statuses.map(
    (to, i): HistoryEntry => ({
      dossierId: id,
      version: i + 1,
      at: new Date(nowMs).toISOString(),
      to,
      by: 'receiver-1',
      role: 'receiver',
    }),
  );
  const d: Dossier = {
    id,
    code: `T-${id.slice(0, 8)}`,
    ward: WARD,
    procedureId: 'p',
    procedureName: 'Đăng ký khai sinh',
    channel: 'counter',
    status: statuses.at(-1) as Status,
    version: statuses.length,
    createdBy: 'receiver-1',
    applicant: { fullName: 'Nguyễn Văn An', idNumber: '038090001234', phone: '0912345678' },
    components: [],
    durationHours: 8,
    fee: 0,
    submittedAt: new Date(nowMs).toISOString(),
    pauses: [],
    supplementCount: 0,
    updatedAt: new Date(nowMs).toISOString(),
  };
  dossiers.set(id, { d, history });
  return d;
}

/** A portal whose every call goes through `call` (the service and the dossier code). */
const portalOf = (call: (service: string, code: string) => Promise<void>): PortalClient => ({
  syncDossier: (r) => call('DongBoHoSoMC', r.MaHoSo),
  updateProgress: (r) => call('CapNhatTienDoHoSoMC', r.MaHoSo),
  hasDossier: async () => false,
});
const accepting = portalOf(async () => undefined);
/** A call that never answers: the attempt that makes it dies there (it never reaches finish or fail). */
const hang = () => new Promise<void>(() => undefined);

const depsWith = (portal: PortalClient) => ({
  dossiers: {
    get: async (id: string) => dossiers.get(id)?.d,
    history: async (id: string) => dossiers.get(id)?.history ?? [],
    getWithHistory: async (id: string) => {
      const x = dossiers.get(id);
      return x ? { dossier: x.d, history: x.history } : undefined;
    },
  },
  catalog: { get: async () => undefined },
  store,
  portal,
  clock,
  leaseMs: LEASE_MS,
});

const item = async (id: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: keys.portalSync(id), ConsistentRead: true })))
    .Item ?? {};
const markOf = (i: Record<string, unknown>) => ({ GSI3PK: i.GSI3PK, GSI3SK: i.GSI3SK, pendingSince: i.pendingSince });
const NO_MARK = { GSI3PK: undefined, GSI3SK: undefined, pendingSince: undefined };
const pendingIds = async () => (await store.listPending(WARD, { limit: 100 })).items.map((i) => i.dossierId);
/** Whether an update of this dossier's sync item SET any of the mark's attributes. */
const setTheMark = (id: string) =>
  updates
    .filter((u) => u.PK === `DOSSIER#${id}`)
    .some((u) => /GSI3PK|GSI3SK|pendingSince/.test(u.expression.split('REMOVE')[0] ?? ''));
/** Resolves once the portal has been called (the attempt holds the lease and has claimed). */
const signal = () => {
  let fire: () => void = () => undefined;
  const fired = new Promise<void>((r) => {
    fire = r;
  });
  return { fire, fired };
};

/** A first delivery (unmarked) that dies in its portal call, holding the lease. */
async function diesInItsPortalCall(id: string): Promise<void> {
  const first = signal();
  void syncDossierToPortal(
    depsWith(
      portalOf(() => {
        first.fire();
        return hang();
      }),
    ),
    id,
    undefined,
    { markPending: false },
  );
  await first.fired;
}

/** A first delivery (unmarked) that holds the lease, waiting in its first portal call until `release()`. */
async function heldByFirstDelivery(id: string) {
  const entered = signal();
  const gate = signal();
  let held = true;
  const holder = syncDossierToPortal(
    depsWith(
      portalOf(async () => {
        if (!held) return;
        held = false;
        entered.fire();
        await gate.fired;
      }),
    ),
    id,
    undefined,
    { markPending: false },
  );
  await entered.fired;
  return { holder, release: () => gate.fire() };
}

describe('DVCQG pending mark: written only when the portal may not have the change (DynamoDB Local)', () => {
  it('a sync that succeeds on its first delivery never writes GSI3PK, GSI3SK or pendingSince', async () => {
    const id = crypto.randomUUID();
    put(id, [2]);
    const during: Record<string, unknown>[] = [];
    const listedDuring: string[][] = [];
    const portal = portalOf(async () => {
      // Between claim and finish: the lease is held, and the item is not in the index.
      during.push(await item(id));
      listedDuring.push(await pendingIds());
    });
    const r = await syncDossierToPortal(depsWith(portal), id, undefined, { markPending: false });
    expect(r).toMatchObject({ result: 'sent', calls: 2, version: 1 });
    expect(during).toHaveLength(2);
    for (const i of during) {
      expect(i.leaseId).toBeTruthy();
      expect(markOf(i)).toEqual(NO_MARK);
    }
    for (const l of listedDuring) expect(l).not.toContain(id);
    const after = await item(id);
    expect(after).toMatchObject({ version: 1, created: true, mark: 1, stepVersion: 1 });
    expect(after.leaseId).toBeUndefined();
    expect(markOf(after)).toEqual(NO_MARK);
    expect(setTheMark(id)).toBe(false);
    expect(await pendingIds()).not.toContain(id);
  });

  it('a failed sync is listed pending, since its claim, with its error; the reconciliation then clears it', async () => {
    const id = crypto.randomUUID();
    put(id, [2]);
    const claimedAt = new Date(nowMs).toISOString();
    const refusing = portalOf(async () => {
      nowMs += 500;
      throw new PortalCallError('error_code 99', 'refused');
    });
    await expect(syncDossierToPortal(depsWith(refusing), id, undefined, { markPending: false })).rejects.toBeInstanceOf(
      PortalCallError,
    );
    const i = await item(id);
    expect(i.leaseId).toBeUndefined();
    expect(markOf(i)).toEqual({ GSI3PK: `WARD#${WARD}#DVCQG`, GSI3SK: `${claimedAt}#${id}`, pendingSince: claimedAt });
    const listed = (await store.listPending(WARD, { limit: 100 })).items.find((x) => x.dossierId === id);
    expect(listed).toMatchObject({ pendingSince: claimedAt, created: false, createTried: true });
    expect(listed?.lastError).toMatch(/^refused/);

    nowMs += 60_000;
    const r = await reconcilePortal(depsWith(accepting), [WARD], { graceMs: 1000, limit: 50, timeLeft: () => true });
    expect(r.failed).toBe(0);
    expect(markOf(await item(id))).toEqual(NO_MARK);
    expect(await pendingIds()).not.toContain(id);
  });

  it("a redelivered event's sync marks the dossier pending before it sends: an attempt that dies is still found", async () => {
    const id = crypto.randomUUID();
    put(id, [2]);
    // The first delivery dies in the portal call, holding the lease, unmarked.
    await diesInItsPortalCall(id);
    expect((await item(id)).leaseId).toBeTruthy();
    expect(markOf(await item(id))).toEqual(NO_MARK);

    // The redelivery (after the lease ran out) marks it when it claims, then dies too.
    nowMs += LEASE_MS + 1000;
    const retriedAt = new Date(nowMs).toISOString();
    const second = signal();
    const seenBySecond: Record<string, unknown>[] = [];
    void syncDossierToPortal(
      depsWith(
        portalOf(async () => {
          seenBySecond.push(await item(id));
          second.fire();
          return hang();
        }),
      ),
      id,
      undefined,
      { markPending: true },
    );
    await second.fired;
    expect(markOf(seenBySecond[0] ?? {})).toEqual({
      GSI3PK: `WARD#${WARD}#DVCQG`,
      GSI3SK: `${retriedAt}#${id}`,
      pendingSince: retriedAt,
    });
    expect(await pendingIds()).toContain(id);

    // Every delivery died: the reconciliation sends it once the lease has run out.
    nowMs += LEASE_MS + 1000;
    const r = await reconcilePortal(depsWith(accepting), [WARD], { graceMs: 1000, limit: 50, timeLeft: () => true });
    expect(r).toMatchObject({ failed: 0 });
    expect(await item(id)).toMatchObject({ version: 1, created: true });
    expect(markOf(await item(id))).toEqual(NO_MARK);
  });

  it('a redelivery that finds the dead attempt still holding the lease marks the dossier and leaves', async () => {
    const id = crypto.randomUUID();
    put(id, [2]);
    await diesInItsPortalCall(id);
    // Same version wanted as the holder's: only the mark is written.
    nowMs += 1000;
    const r = await syncDossierToPortal(depsWith(accepting), id, undefined, { markPending: true });
    expect(r).toEqual({ result: 'busy' });
    expect((await item(id)).wanted).toBe(1);
    expect(await pendingIds()).toContain(id);
  });

  it('a sync that finds the lease held by another marks the dossier pending; the holder clears it when done', async () => {
    const id = crypto.randomUUID();
    put(id, [2]);
    // The holder (a first delivery, unmarked) waits in its first portal call.
    const { holder, release } = await heldByFirstDelivery(id);
    expect(markOf(await item(id))).toEqual(NO_MARK);

    // Meanwhile the dossier moves on; its event's first delivery finds the lease held.
    nowMs += 1000;
    const bumpedAt = new Date(nowMs).toISOString();
    put(id, [2, 4]);
    const r = await syncDossierToPortal(depsWith(accepting), id, undefined, { markPending: false });
    expect(r).toEqual({ result: 'busy' });
    expect(await item(id)).toMatchObject({ wanted: 2, pendingSince: bumpedAt, GSI3SK: `${bumpedAt}#${id}` });
    expect(await pendingIds()).toContain(id);

    // The holder sees `wanted`, sends version 2 too, and lets go: the mark goes with the lease.
    release();
    expect(await holder).toMatchObject({ result: 'sent', version: 2 });
    const after = await item(id);
    expect(after).toMatchObject({ version: 2, stepVersion: 2, wanted: 2 });
    expect(after.leaseId).toBeUndefined();
    expect(markOf(after)).toEqual(NO_MARK);
    expect(await pendingIds()).not.toContain(id);
  });

  it('a sync that finds the lease held writes no mark if the holder lets it go first, having sent as much', async () => {
    const id = crypto.randomUUID();
    put(id, [2]);
    const { holder, release } = await heldByFirstDelivery(id);
    // Another sync of the same version finds the lease held; its mark is held back until the
    // holder has finished.
    const markHeld = signal();
    const markGo = signal();
    beforeUpdate = async (expression) => {
      if (!expression.startsWith('SET GSI3PK')) return;
      markHeld.fire();
      await markGo.fired;
    };
    try {
      const other = syncDossierToPortal(depsWith(accepting), id, undefined, { markPending: false });
      await markHeld.fired;
      release();
      expect(await holder).toMatchObject({ result: 'sent', version: 1 });
      markGo.fire();
      expect(await other).toEqual({ result: 'busy' });
    } finally {
      beforeUpdate = undefined;
    }
    expect(markOf(await item(id))).toEqual(NO_MARK);
    expect(await pendingIds()).not.toContain(id);
  });

  it("reads a batch's dossiers with their sync states in one request, a dossier without a state and none for a missing one", async () => {
    const synced = put(crypto.randomUUID(), [2]);
    const fresh = put(crypto.randomUUID(), [2]);
    const missing = crypto.randomUUID();
    const db = dynamo();
    // Stored under the dossier's key without its `entity`: the statistics' stream filter leaves it alone.
    for (const d of [synced, fresh]) {
      await db.send(new PutCommand({ TableName: tableName(), Item: { ...keys.dossier(d.id), ...d } }));
    }
    expect(await syncDossierToPortal(depsWith(accepting), synced.id, undefined, { markPending: false })).toMatchObject({
      result: 'sent',
    });
    const counting = countingClient(db);
    const read = await readDossiersWithSyncState(counting.client, tableName(), [synced.id, missing, fresh.id]);
    expect(counting.requests()).toBe(1);
    expect([...read.keys()].sort()).toEqual([synced.id, fresh.id].sort());
    expect(read.get(synced.id)?.dossier).toEqual(synced);
    expect(read.get(synced.id)?.state).toEqual(await store.get(synced.id));
    expect(read.get(synced.id)?.state).toMatchObject({ version: 1, created: true });
    expect(read.get(fresh.id)).toEqual({ dossier: fresh, state: undefined });
  });
});
