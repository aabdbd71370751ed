/** DossierRepository on the single table (DynamoDB). */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Dossier, type HistoryEntry, isClockRunning } from '#shared/dossier.ts';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import type {
  DossierChange,
  DossierFilter,
  DossierListings,
  DossierRepository,
  NewDossier,
  Page,
} from '#shared/ports.ts';
import type { ReceiptIssue } from '#shared/receipts/receipts.ts';
import { fullJitter, retry } from '#shared/retry.ts';
import { publicState } from '#shared/transition.ts';
import { transactWithReceipt } from './dynamo-receipts.ts';
import { getItemsAligned, isCancelled, isTxConflict, queryAll } from './dynamo-util.ts';
import { decodeCursor, encodeCursor, epochS, keys, stripKeys } from './keys.ts';
import { changePuts } from './outbox.ts';

/**
 * Dossiers whose clock runs sit in the due-date index (GSI3) for the SLA watch and the overdue
 * lists, keyed by the moment they are (or become) late: the deadline, or the sticky `lateSince`
 * where that came first (a second supplement request). Ended (3, 7, 8, 9, 10) and paused ones
 * are out of it.
 */
const indexMoment = (d: Dossier): string | undefined => {
  if (!d.dueAt || !isClockRunning(d)) return undefined;
  return d.lateSince && d.lateSince < d.dueAt ? d.lateSince : d.dueAt;
};

/** A day's dossier counter under racing submissions: up to 60 tries, waits of at most 200 ms. */
const NUMBERING_RETRY = { attempts: 60, delay: fullJitter(5, 200, 6) } as const;

function dossierItem(d: Dossier): Record<string, unknown> {
  const due = indexMoment(d);
  return {
    ...keys.dossier(d.id),
    entity: 'dossier',
    ...d,
    GSI1PK: keys.wardDossiers(d.ward),
    GSI1SK: `${d.submittedAt}#${d.id}`,
    // GSI2: the citizen who submitted it, or else the helper who submitted it on a citizen's behalf.
    ...(d.ownerSub
      ? { GSI2PK: keys.ownerDossiers(d.ownerSub), GSI2SK: `${d.submittedAt}#${d.id}` }
      : d.assistedBy
        ? { GSI2PK: keys.assistedDossiers(d.ward, d.assistedBy.sub), GSI2SK: `${d.submittedAt}#${d.id}` }
        : {}),
    ...(due ? { GSI3PK: keys.openDossiers(d.ward), GSI3SK: `${due}#${d.id}` } : {}),
  };
}

/** The dossier's write in a change's transaction: only if the stored version is still `expectedVersion`. */
export function dossierPut(table: string, next: Dossier, expectedVersion: number) {
  return {
    Put: {
      TableName: table,
      Item: dossierItem(next),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    },
  };
}

/** A stored history entry as the domain sees it: its keys, events and outbox mark left out. */
function historyEntry(item: Record<string, unknown>): HistoryEntry {
  const { events, outbox, ...entry } = stripKeys<HistoryEntry & { events?: unknown; outbox?: unknown }>(item);
  return entry;
}

/** Lost a race: a condition failed or another transaction held an item. */
const isConditionFailure = (e: unknown): boolean => isCancelled(e) || isTxConflict(e);

export class DynamoDossierRepository implements DossierRepository, DossierListings {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(unitCode: string, day: string, build: (code: string) => NewDossier): Promise<Dossier> {
    const seqKey = keys.dossierSequence(unitCode, day);
    // Another submission took this number first: read the counter again.
    return retry(
      async () => {
        const cur = await this.db.send(new GetCommand({ TableName: this.table, Key: seqKey, ConsistentRead: true }));
        const n = typeof cur.Item?.n === 'number' ? cur.Item.n : 0;
        const code = `${unitCode}-${day}-${String(n + 1).padStart(4, '0')}`;
        const { dossier, history, events } = build(code);
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: seqKey,
                  UpdateExpression: 'SET n = :next, expiresAt = :exp',
                  ConditionExpression: n === 0 ? 'attribute_not_exists(n)' : 'n = :cur',
                  ExpressionAttributeValues: {
                    ':next': n + 1,
                    ':exp': epochS() + 3 * 86400,
                    ...(n ? { ':cur': n } : {}),
                  },
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: dossierItem(dossier),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: { ...keys.dossierCode(code), entity: 'code', id: dossier.id },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                // The applicant's index (by a hash of the identity number): the citizen follows it by VNeID.
                Put: {
                  TableName: this.table,
                  Item: {
                    ...keys.applicantDossier(dossier.applicant.idNumber, dossier.submittedAt, dossier.id),
                    entity: 'applicant-dossier',
                    id: dossier.id,
                  },
                },
              },
              ...changePuts(this.table, history, events),
            ],
          }),
        );
        return dossier;
      },
      NUMBERING_RETRY,
      {
        retryIf: isConditionFailure,
        exhausted: () => new ConflictError('BUSY', 'Hệ thống đang bận, vui lòng thử lại.'),
      },
    );
  }

  async get(id: string): Promise<Dossier | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.dossier(id), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<Dossier>(r.Item) : undefined;
  }

  async getByCode(code: string): Promise<Dossier | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.dossierCode(code) }));
    const id = r.Item?.id;
    return typeof id === 'string' ? this.get(id) : undefined;
  }

  async commit({ next, expectedVersion, history, events }: DossierChange, receipt?: ReceiptIssue): Promise<void> {
    try {
      await transactWithReceipt(
        this.db,
        this.table,
        [
          {
            Put: {
              ...dossierPut(this.table, next, expectedVersion).Put,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          ...changePuts(this.table, history, events),
        ],
        receipt,
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const current = await this.get(next.id);
      throw new ConflictError(
        'STALE_VERSION',
        'Hồ sơ đã được người khác cập nhật; hãy tải lại.',
        current ? publicState(current) : undefined,
      );
    }
  }

  async history(id: string): Promise<readonly HistoryEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
      ExpressionAttributeValues: { ':pk': keys.dossierPk(id), ':h': keys.historyPrefix },
      ConsistentRead: true,
    });
    return items.map(historyEntry);
  }

  /** One Query of the dossier's partition, from its item to the end of its history (`keys.dossierThroughHistory`). */
  async getWithHistory(id: string): Promise<{ dossier: Dossier; history: readonly HistoryEntry[] } | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      ...keys.dossierThroughHistory(id),
      ConsistentRead: true,
    });
    const head = items.find((i) => i.SK === keys.dossier(id).SK);
    if (!head) return undefined;
    const history = items.filter((i) => String(i.SK).startsWith(keys.historyPrefix)).map(historyEntry);
    return { dossier: stripKeys<Dossier>(head), history };
  }

  listByWard(ward: string, f: DossierFilter): Promise<Page<Dossier>> {
    if (f.dueBefore) {
      return this.query('GSI3', 'GSI3PK', keys.openDossiers(ward), f, {
        sk: 'GSI3SK',
        below: f.dueBefore,
        ...(f.dueAfter ? { from: f.dueAfter } : {}),
        forward: true,
      });
    }
    return this.query('GSI1', 'GSI1PK', keys.wardDossiers(ward), f);
  }

  listByOwner(sub: string, f: DossierFilter): Promise<Page<Dossier>> {
    return this.query('GSI2', 'GSI2PK', keys.ownerDossiers(sub), f);
  }

  listByHelper(ward: string, sub: string, f: DossierFilter): Promise<Page<Dossier>> {
    return this.query('GSI2', 'GSI2PK', keys.assistedDossiers(ward, sub), f);
  }

  /**
   * Two newest-first streams merged: GSI2 (submitted by the citizen) and the applicant index (by
   * identity number). The cursor is the position (`submittedAt#id`) of the last dossier returned;
   * each stream resumes strictly below it, so a dossier in both comes once and none is skipped.
   */
  async listFollowed(sub: string, idNumber: string, f: DossierFilter): Promise<Page<Dossier>> {
    const after = decodePosition(f.cursor);
    const { cursor: _c, ...rest } = f;
    const [owned, applied] = await Promise.all([
      this.query(
        'GSI2',
        'GSI2PK',
        keys.ownerDossiers(sub),
        rest,
        after ? { sk: 'GSI2SK', below: after, forward: false } : undefined,
      ),
      this.byApplicant(idNumber, rest, after),
    ]);
    const position = (d: Dossier) => `${d.submittedAt}#${d.id}`;
    const merged = new Map<string, Dossier>();
    for (const d of [...owned.items, ...applied.items]) merged.set(d.id, d);
    const sorted = [...merged.values()].sort((a, b) => position(b).localeCompare(position(a)));
    const page = sorted.slice(0, f.limit);
    const more = owned.next !== undefined || applied.more || sorted.length > f.limit;
    const last = page.at(-1);
    return {
      items: page,
      ...(more && last ? { next: Buffer.from(JSON.stringify({ after: position(last) })).toString('base64url') } : {}),
    };
  }

  /** Dossiers whose applicant has this identity number, newest first, below `after`. */
  private async byApplicant(
    idNumber: string,
    f: Pick<DossierFilter, 'limit' | 'status' | 'procedureId'>,
    after: string | undefined,
  ): Promise<{ items: Dossier[]; more: boolean }> {
    const found: Dossier[] = [];
    let start: Record<string, unknown> | undefined;
    let more = true;
    while (found.length < f.limit && more) {
      const r = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: after
            ? 'PK = :pk AND SK BETWEEN :lo AND :below'
            : 'PK = :pk AND begins_with(SK, :lo)',
          ExpressionAttributeValues: {
            ':pk': keys.applicantPk(idNumber),
            ':lo': keys.applicantDossierPrefix,
            ...(after ? { ':below': keys.applicantDossierSk(after) } : {}),
          },
          ScanIndexForward: false,
          Limit: Math.max(f.limit, 25),
          ExclusiveStartKey: start,
        }),
      );
      const refs = (r.Items ?? []).filter((i) => after === undefined || i.SK !== keys.applicantDossierSk(after));
      const items = await getItemsAligned(
        this.db,
        this.table,
        refs.map((i) => keys.dossier(String(i.id))),
      );
      for (const item of items) {
        if (item?.entity !== 'dossier') continue;
        const d = stripKeys<Dossier>(item);
        if (d.applicant.idNumber !== idNumber) continue;
        if (f.status !== undefined && d.status !== f.status) continue;
        if (f.procedureId && d.procedureId !== f.procedureId) continue;
        found.push(d);
      }
      start = r.LastEvaluatedKey;
      more = start !== undefined;
    }
    return { items: found.slice(0, f.limit), more: more || found.length > f.limit };
  }

  listReceived(
    ward: string,
    fromIso: string,
    toIso: string,
    opts: { limit: number; cursor?: string },
  ): Promise<Page<Dossier>> {
    return this.query('GSI1', 'GSI1PK', keys.wardDossiers(ward), opts, {
      sk: 'GSI1SK',
      from: fromIso,
      below: `${toIso}#~`,
      forward: true,
    });
  }

  listDue(ward: string, before: string, opts: { limit: number; cursor?: string }): Promise<Page<Dossier>> {
    return this.query('GSI3', 'GSI3PK', keys.openDossiers(ward), opts, { sk: 'GSI3SK', below: before, forward: true });
  }

  /**
   * A filtered page: reads the index's keys a page at a time, fetches those dossiers, keeps the
   * ones that match (and are still where the index said), until `limit` match; the cursor is the
   * index key of the last returned dossier.
   */
  private async query(
    index: 'GSI1' | 'GSI2' | 'GSI3',
    pkName: string,
    pk: string,
    f: Pick<DossierFilter, 'limit' | 'cursor' | 'status' | 'procedureId'>,
    range?: { sk: string; below: string; from?: string; forward: boolean },
  ): Promise<Page<Dossier>> {
    const sk = `${index}SK`;
    const values: Record<string, unknown> = { ':pk': pk };
    let kce = `${pkName} = :pk`;
    if (range?.from) {
      // Inclusive; the bound is a bare moment, and keys are "moment#id", so the ends behave as >= and <.
      kce += ` AND ${range.sk} BETWEEN :from AND :below`;
      values[':from'] = range.from;
      values[':below'] = range.below;
    } else if (range) {
      kce += ` AND ${range.sk} < :below`;
      values[':below'] = range.below;
    }
    const matches = (i: Record<string, unknown>) =>
      i.entity === 'dossier' &&
      i[pkName] === pk &&
      (f.status === undefined || i.status === f.status) &&
      (!f.procedureId || i.procedureId === f.procedureId);
    const found: { key: Record<string, unknown>; item: Record<string, unknown> }[] = [];
    let start: Record<string, unknown> | undefined = decodeCursor(f.cursor, {
      PK: true,
      SK: true,
      [pkName]: pk,
      [sk]: true,
    });
    let more = true;
    while (found.length < f.limit && more) {
      const r = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: kce,
          ExpressionAttributeValues: values,
          ScanIndexForward: range?.forward ?? false,
          // Every key read costs an item read: only a filtered page reads ahead.
          Limit: f.status !== undefined || f.procedureId ? Math.max(f.limit, 25) : f.limit,
          ExclusiveStartKey: start,
        }),
      );
      const indexKeys = r.Items ?? [];
      const items = await getItemsAligned(this.db, this.table, indexKeys);
      indexKeys.forEach((key, k) => {
        const item = items[k];
        if (item && matches(item)) found.push({ key, item });
      });
      start = r.LastEvaluatedKey;
      more = start !== undefined;
    }
    const page = found.slice(0, f.limit);
    const last = page.at(-1)?.key;
    const truncated = found.length > f.limit || (more && page.length === f.limit);
    let next: string | undefined;
    if (truncated && last) {
      next = encodeCursor({ PK: last.PK, SK: last.SK, [pkName]: last[pkName], [sk]: last[sk] });
    }
    return { items: page.map((x) => stripKeys<Dossier>(x.item)), ...(next ? { next } : {}) };
  }
}

/** The position inside a merged list's cursor (`submittedAt#id`); anything else is 400 INVALID_CURSOR. */
function decodePosition(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const after = v && typeof v === 'object' && 'after' in v ? v.after : undefined;
  if (typeof after !== 'string' || !/^\d{4}-\d{2}-\d{2}T[0-9:.]+Z#[0-9a-f-]{36}$/.test(after)) {
    throw new ValidationError('Con trỏ phân trang không hợp lệ.', undefined, 'INVALID_CURSOR');
  }
  return after;
}
