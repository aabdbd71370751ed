/**
 * The national portal sync state of each dossier: one item beside the dossier (`DOSSIER#id` /
 * `DVCQG`), so that the dossier's own conditional writes never race with it. A change that may
 * not be acknowledged puts the item in GSI3 under `WARD#w#DVCQG` (sort key: since when, the
 * earliest kept; `pendingSince` beside it), which is what the reconciliation and the operator's
 * list read. Setting that mark and clearing it are one index write each, so it is set only when
 * needed (shared/dvcqg/sync.ts): by `fail`, by a `claim` that finds the lease held, and by a
 * `claim` asked to (a redelivered event, the reconciliation); a first delivery that the portal
 * takes writes no index key at all, and `finish`'s REMOVE of absent keys costs no index write.
 * Every write is conditional: the lease (`leaseId`, `leaseUntil`) makes one holder per dossier;
 * `wanted` can only rise.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Dossier } from '#shared/dossier.ts';
import type { PortalSyncState, PortalSyncStore, SyncProgress } from '#shared/dvcqg/sync.ts';
import { LeaseLostError } from '#shared/errors.ts';
import { getItemsAligned, isConditionFailed } from './dynamo-util.ts';
import { decodeCursor, encodeCursor, keys, stripKeys } from './keys.ts';

const key = keys.portalSync;
const pendingPk = keys.portalSyncPending;

function stateOf(item: Record<string, unknown>): PortalSyncState {
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const opt = (k: string, v: string | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    dossierId: String(item.dossierId),
    ward: String(item.ward),
    code: String(item.code),
    version: n(item.version),
    stepVersion: n(item.stepVersion),
    mark: n(item.mark),
    created: item.created === true,
    ...(item.createTried === true ? { createTried: true } : {}),
    wanted: n(item.wanted),
    ...opt('at', s(item.at)),
    ...opt('pendingSince', s(item.pendingSince)),
    ...opt('lastError', s(item.lastError)),
    ...opt('lastErrorAt', s(item.lastErrorAt)),
  };
}

/** The pending mark's SET clauses (GSI3 keys and `pendingSince`; the earliest since is kept) and their values. */
function pendingMark(d: { id: string; ward: string }, since: Date): { sets: string; values: Record<string, unknown> } {
  const at = since.toISOString();
  return {
    sets: 'GSI3PK = :gpk, GSI3SK = if_not_exists(GSI3SK, :gsk), pendingSince = if_not_exists(pendingSince, :since)',
    values: { ':gpk': pendingPk(d.ward), ':gsk': `${at}#${d.id}`, ':since': at },
  };
}

/** SET clauses for acknowledged progress. */
function progressSets(p: SyncProgress, values: Record<string, unknown>): string[] {
  const sets: string[] = [];
  for (const k of ['version', 'stepVersion', 'mark', 'created', 'createTried'] as const) {
    if (p[k] === undefined) continue;
    sets.push(`${k} = :${k}`);
    values[`:${k}`] = p[k];
  }
  return sets;
}

/** A dossier as the portal sync first reads it: the stored dossier and what the portal has of it. */
interface DossierWithSyncState {
  readonly dossier: Dossier;
  readonly state: PortalSyncState | undefined;
}

/**
 * A batch's dossiers and their sync states in one BatchGetItem (strongly consistent): both items
 * live in the dossier's partition. Dossiers not found are left out.
 */
export async function readDossiersWithSyncState(
  db: DynamoDBDocumentClient,
  table: string,
  ids: readonly string[],
): Promise<Map<string, DossierWithSyncState>> {
  const items = await getItemsAligned(
    db,
    table,
    ids.flatMap((id) => [keys.dossier(id), key(id)]),
    { consistent: true },
  );
  const out = new Map<string, DossierWithSyncState>();
  ids.forEach((id, i) => {
    const dossier = items[2 * i];
    const state = items[2 * i + 1];
    if (dossier) out.set(id, { dossier: stripKeys<Dossier>(dossier), state: state ? stateOf(state) : undefined });
  });
  return out;
}

export class DynamoPortalSyncStore implements PortalSyncStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(dossierId: string): Promise<PortalSyncState | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: key(dossierId), ConsistentRead: true }));
    return r.Item ? stateOf(r.Item) : undefined;
  }

  async claim(
    d: { id: string; ward: string; code: string },
    wanted: number,
    lease: string,
    now: Date,
    leaseMs: number,
    markPending: boolean,
  ): Promise<PortalSyncState | undefined> {
    const mark = pendingMark(d, now);
    const common = { ':w': d.ward, ':c': d.code, ':id': d.id, ':e': 'portal-sync' };
    const identity = 'entity = :e, dossierId = :id, ward = :w, code = :c';
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(d.id),
          // No holder: this caller becomes one (it reads the dossier afresh, so `wanted` may be set as is).
          UpdateExpression: `SET ${identity}, ${markPending ? `${mark.sets}, ` : ''}wanted = :v, leaseId = :l, leaseUntil = :u`,
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
          ExpressionAttributeValues: {
            ...common,
            ...(markPending ? mark.values : {}),
            ':v': wanted,
            ':l': lease,
            ':u': now.getTime() + leaseMs,
            ':now': now.getTime(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stateOf(r.Attributes ?? {});
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
    // Someone holds it: tell them what we want (only ever upwards) and leave it to them, marked
    // pending in case they die (their own first delivery may not have marked it).
    const told = await this.updateIf(d.id, {
      UpdateExpression: `SET ${identity}, ${mark.sets}, wanted = :v`,
      ConditionExpression: 'attribute_not_exists(wanted) OR wanted < :v',
      ExpressionAttributeValues: { ...common, ...mark.values, ':v': wanted },
    });
    // They want as much already (e.g. a redelivery of the event whose attempt holds the lease):
    // the mark alone, unless it is there, and only while the lease is held: a holder that let it
    // go meanwhile sent at least `wanted` (a mark written after that would never be cleared but
    // by the reconciliation).
    if (!told) {
      await this.updateIf(d.id, {
        UpdateExpression: `SET ${mark.sets}`,
        ConditionExpression: 'attribute_exists(leaseId) AND attribute_not_exists(GSI3PK)',
        ExpressionAttributeValues: mark.values,
      });
    }
    return undefined;
  }

  /** A conditional update of the sync item: false, not an error, when its condition fails. */
  private async updateIf(
    dossierId: string,
    update: Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, Key: key(dossierId), ...update }));
      return true;
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
      return false;
    }
  }

  async ack(
    dossierId: string,
    lease: string,
    progress: SyncProgress,
    now: Date,
    leaseMs: number,
  ): Promise<PortalSyncState> {
    const values: Record<string, unknown> = { ':l': lease, ':u': now.getTime() + leaseMs, ':at': now.toISOString() };
    const sets = ['leaseUntil = :u', '#at = :at', ...progressSets(progress, values)];
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(dossierId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE lastError, lastErrorAt, createTried`,
          ConditionExpression: 'leaseId = :l',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stateOf(r.Attributes ?? {});
    } catch (e) {
      if (isConditionFailed(e)) throw new LeaseLostError(dossierId);
      throw e;
    }
  }

  async finish(
    dossierId: string,
    lease: string,
    sentVersion: number,
    progress: SyncProgress,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const values: Record<string, unknown> = { ':l': lease, ':v': sentVersion };
    const sets = progressSets(progress, values);
    const names: Record<string, string> = {};
    if (sets.length) {
      sets.push('#at = :at');
      names['#at'] = 'at';
      values[':at'] = now.toISOString();
    }
    // The version this write records counts as acknowledged already.
    const versionDone = progress.version !== undefined && progress.version >= sentVersion;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(dossierId),
          UpdateExpression:
            (sets.length ? `SET ${sets.join(', ')} ` : '') +
            'REMOVE leaseId, leaseUntil, GSI3PK, GSI3SK, pendingSince, lastError, lastErrorAt' +
            (progress.created ? ', createTried' : ''),
          ConditionExpression: `leaseId = :l AND wanted <= :v${versionDone ? '' : ' AND version >= :v'}`,
          ...(sets.length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
    // A newer version was asked for meanwhile (or the lease is gone): keep what the portal took.
    if (sets.length) {
      await this.ack(dossierId, lease, progress, now, leaseMs);
      return false;
    }
    const holder = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: key(dossierId),
        ConsistentRead: true,
        ProjectionExpression: 'leaseId',
      }),
    );
    if (holder.Item?.leaseId !== lease) throw new LeaseLostError(dossierId);
    return false;
  }

  async fail(
    d: { id: string; ward: string },
    lease: string,
    progress: SyncProgress,
    error: string,
    now: Date,
    since: Date,
  ): Promise<void> {
    const mark = pendingMark(d, since);
    const values: Record<string, unknown> = { ...mark.values, ':l': lease, ':err': error, ':at': now.toISOString() };
    const sets = [mark.sets, 'lastError = :err', 'lastErrorAt = :at', ...progressSets(progress, values)];
    await this.updateIf(d.id, {
      UpdateExpression: `SET ${sets.join(', ')} REMOVE leaseId, leaseUntil`,
      ConditionExpression: 'leaseId = :l',
      ExpressionAttributeValues: values,
    });
  }

  async listPending(
    ward: string,
    opts: { before?: string; limit: number; cursor?: string },
  ): Promise<{ items: readonly PortalSyncState[]; next?: string }> {
    const pk = pendingPk(ward);
    const start = decodeCursor(opts.cursor, { PK: true, SK: 'DVCQG', GSI3PK: pk, GSI3SK: true });
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI3',
        KeyConditionExpression: opts.before ? 'GSI3PK = :pk AND GSI3SK < :b' : 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(opts.before ? { ':b': opts.before } : {}) },
        Limit: opts.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const indexKeys = r.Items ?? [];
    const items = await getItemsAligned(this.db, this.table, indexKeys);
    const out = items.filter((i): i is Record<string, unknown> => i?.GSI3PK === pk).map(stateOf);
    const last = indexKeys.at(-1);
    const next =
      r.LastEvaluatedKey && last
        ? encodeCursor({ PK: last.PK, SK: last.SK, GSI3PK: last.GSI3PK, GSI3SK: last.GSI3SK })
        : undefined;
    return { items: out, ...(next ? { next } : {}) };
  }
}
