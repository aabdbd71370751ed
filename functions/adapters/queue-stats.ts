/**
 * The queue's day figures per point (tickets issued, called, and their waiting time, priority
 * numbers apart), kept with ADD as tickets are issued and called, so that a report over any period
 * is one Query, not a read of every ticket.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isPriority, type QueueDayStats, type QueueStatsReader } from '#shared/appointments.ts';
import type { Ticket } from '#shared/queue.ts';
import { logger } from '../lib/powertools.ts';
import { queryAll } from './dynamo-util.ts';

/** Kept as long as the tickets (a year and a bit). */
const STATS_TTL_S = 400 * 24 * 3600;

const queueStatsKey = (ward: string, day: string, point: string) => ({
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

/** The day figure's update for a ticket's issue. */
const issuedStatsUpdate = (table: string, t: Ticket) =>
  update(table, t, isPriority(t) ? { issuedPriority: 1 } : { issued: 1 });

/** The day figure's update for a ticket's first call (its waiting time). */
const calledStatsUpdate = (table: string, t: Ticket) =>
  update(
    table,
    t,
    isPriority(t) ? { calledPriority: 1, waitMsPriority: t.waitingMs ?? 0 } : { called: 1, waitMs: t.waitingMs ?? 0 },
  );

/**
 * Adds a ticket's issue or first call to its day figure, after the ticket's own write. Only these
 * plain updates touch the figure (no transaction holds it, so concurrent kiosks and counters never
 * conflict on it); a failure is logged and the ticket stands: a lost count skews a statistic by one,
 * a failed ticket would send the citizen away.
 */
async function record(db: DynamoDBDocumentClient, u: ReturnType<typeof update>): Promise<void> {
  try {
    await db.send(new UpdateCommand(u.Update));
  } catch (e) {
    logger.warn('queue day figure not updated', { key: u.Update.Key, error: String(e) });
  }
}

export const recordIssued = (db: DynamoDBDocumentClient, table: string, t: Ticket) =>
  record(db, issuedStatsUpdate(table, t));

export const recordCalled = (db: DynamoDBDocumentClient, table: string, t: Ticket) =>
  record(db, calledStatsUpdate(table, t));

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
