/**
 * The queue's day figures per point (tickets issued, called, and their waiting time, priority
 * numbers apart), kept with ADD in the same transactions that issue and call a ticket, so that a
 * report over any period is one Query, not a read of every ticket.
 */
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isPriority, type QueueDayStats, type QueueStatsReader } from '#shared/appointments.ts';
import type { Ticket } from '#shared/queue.ts';
import { isCancelled, isTxConflict, queryAll } from './dynamo-util.ts';

/** Kept as long as the tickets (a year and a bit). */
const STATS_TTL_S = 400 * 24 * 3600;

export const queueStatsKey = (ward: string, day: string, point: string) => ({
  PK: `QSTAT#${ward}`,
  SK: `DAY#${day}#${point}`,
});

const update = (table: string, t: Ticket, add: Record<string, number>) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':e': 'queue-stats',
    ':d': t.day,
    ':p': t.point,
    ':exp': Math.floor(Date.parse(t.issuedAt) / 1000) + STATS_TTL_S,
  };
  const adds = Object.entries(add).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = v;
    return `#a${i} :a${i}`;
  });
  return {
    Update: {
      TableName: table,
      Key: queueStatsKey(t.ward, t.day, t.point),
      UpdateExpression: `SET entity = :e, #day = :d, #point = :p, expiresAt = :exp ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: { ...names, '#day': 'day', '#point': 'point' },
      ExpressionAttributeValues: values,
    },
  };
};

/** The day figure's part of a ticket's issue. */
export const issuedStatsUpdate = (table: string, t: Ticket) =>
  update(table, t, isPriority(t) ? { issuedPriority: 1 } : { issued: 1 });

/** The day figure's part of a ticket's first call (its waiting time). */
export const calledStatsUpdate = (table: string, t: Ticket) =>
  update(
    table,
    t,
    isPriority(t) ? { calledPriority: 1, waitMsPriority: t.waitingMs ?? 0 } : { called: 1, waitMs: t.waitingMs ?? 0 },
  );

/**
 * Sends a transaction that carries a day figure's update. The figure is one item per point and day
 * that concurrent transactions share: one that is refused only because another transaction held an
 * item (TransactionConflict, no condition failed) wrote nothing, and is sent again after a pause.
 */
export async function transactWithStats(db: DynamoDBDocumentClient, input: TransactWriteCommandInput): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand(input));
      return;
    } catch (e) {
      const reasons = isCancelled(e) ? ((e.CancellationReasons ?? []) as { Code?: string }[]) : [];
      const onlyConflicts =
        isTxConflict(e) ||
        (reasons.some((r) => r.Code === 'TransactionConflict') &&
          reasons.every((r) => r.Code === undefined || r.Code === 'None' || r.Code === 'TransactionConflict'));
      if (!onlyConflicts || attempt >= 8) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** Math.min(attempt, 5)));
    }
  }
}

export class DynamoQueueStats implements QueueStatsReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async days(ward: string, fromDay: string, toDay: string): Promise<readonly QueueDayStats[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':pk': `QSTAT#${ward}`, ':a': `DAY#${fromDay}`, ':b': `DAY#${toDay}#~` },
    });
    const n = (v: unknown) => (typeof v === 'number' ? v : 0);
    return items.map((i) => ({
      day: String(i.day),
      point: String(i.point),
      issued: n(i.issued),
      issuedPriority: n(i.issuedPriority),
      called: n(i.called),
      calledPriority: n(i.calledPriority),
      waitMs: n(i.waitMs),
      waitMsPriority: n(i.waitMsPriority),
    }));
  }
}
