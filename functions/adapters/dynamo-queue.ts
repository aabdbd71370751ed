import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { QueueWriteConflictError } from '#shared/errors.ts';
import {
  type Counter,
  freshCounter,
  type QueueChange,
  type QueueRepository,
  type Ticket,
  type TicketKey,
} from '#shared/queue.ts';
import { getItems, isCancelled, queryAll } from './dynamo-util.ts';
import { epochS, queueKeys, stripKeys } from './keys.ts';
import { recordCalled, recordIssued } from './queue-stats.ts';

/** The day counters outlive their day by a little; nothing reads them afterwards. */
const SEQ_TTL_S = 3 * 24 * 3600;
/** Tickets hold no personal data; they are kept a year and a bit for the center's statistics. */
const TICKET_TTL_S = 400 * 24 * 3600;

/** Group and number of a waiting ticket, from its key in the waiting index (which projects keys only). */
function waitingRef(key: Record<string, unknown>): { group: string; number: number } | undefined {
  const [, group, number] = String(key.GSI1SK).split('#');
  const n = Number(number);
  return group && Number.isInteger(n) ? { group, number: n } : undefined;
}

/** The keys of a point's waiting tickets of a day, oldest first. */
function waitingKeys(db: DynamoDBDocumentClient, table: string, ward: string, point: string, day: string) {
  return queryAll(db, {
    TableName: table,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': queueKeys.waitingPk(ward, point, day) },
    ScanIndexForward: true,
  });
}

export function ticketItem(t: Ticket): Record<string, unknown> {
  return {
    ...queueKeys.ticket(t),
    entity: 'queue-ticket',
    ...t,
    ...(t.state === 'waiting' ? queueKeys.waiting(t) : {}),
    expiresAt: Math.floor(Date.parse(t.issuedAt) / 1000) + TICKET_TTL_S,
  };
}

function counterItem(c: Counter): Record<string, unknown> {
  return { ...queueKeys.counter(c.ward, c.id), entity: 'queue-counter', ...c };
}

type Reason = { Code?: string } | undefined;

const failed = (r: Reason) => r?.Code === 'ConditionalCheckFailed' || r?.Code === 'TransactionConflict';

export class DynamoQueueRepository implements QueueRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async issue(
    scope: Omit<TicketKey, 'number'>,
    build: (n: number) => Ticket,
  ): Promise<{ ticket: Ticket; waitingAhead: number }> {
    // ADD is atomic: concurrent kiosks get distinct, increasing numbers. A crash between the two
    // writes leaves a gap (an unused number), never a repeat; the Put's condition guards that too.
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: queueKeys.sequence(scope.ward, scope.point, scope.day, scope.group),
        UpdateExpression: 'SET entity = :e, expiresAt = :exp ADD n :one',
        ExpressionAttributeValues: { ':e': 'queue-seq', ':exp': epochS() + SEQ_TTL_S, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const n = r.Attributes?.n;
    if (typeof n !== 'number') throw new Error('queue sequence returned no number');
    const ticket = build(n);
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: ticketItem(ticket),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    await recordIssued(this.db, this.table, ticket);
    return { ticket, waitingAhead: await this.countAhead(ticket) };
  }

  /** Waiting tickets of the same group with a lower number (the waiting index, counted). */
  private async countAhead(t: Ticket): Promise<number> {
    const keys = await waitingKeys(this.db, this.table, t.ward, t.point, t.day);
    return keys.map(waitingRef).filter((r) => r && r.group === t.group && r.number < t.number).length;
  }

  async ticket(key: TicketKey): Promise<Ticket | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: queueKeys.ticket(key), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<Ticket>(r.Item) : undefined;
  }

  async counter(ward: string, counterId: string): Promise<Counter | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: queueKeys.counter(ward, counterId), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<Counter>(r.Item) : undefined;
  }

  async counters(ward: string, point: string, ids: readonly string[]): Promise<readonly Counter[]> {
    // A point has a handful of counters: parallel reads are simpler than BatchGet's retries.
    return Promise.all(
      ids.map(async (id) => {
        const r = await this.db.send(new GetCommand({ TableName: this.table, Key: queueKeys.counter(ward, id) }));
        return r.Item ? stripKeys<Counter>(r.Item) : freshCounter(ward, point, id);
      }),
    );
  }

  async waiting(
    ward: string,
    point: string,
    day: string,
    groups: readonly string[],
    limit: number,
  ): Promise<readonly Ticket[]> {
    if (groups.length === 0) return [];
    const keys = (await waitingKeys(this.db, this.table, ward, point, day))
      .filter((k) => groups.includes(waitingRef(k)?.group ?? ''))
      .slice(0, limit);
    // The index lags the table a little: a ticket called meanwhile is no longer waiting.
    const items = await getItems(this.db, this.table, keys, { consistent: true });
    return items.filter((i) => i.state === 'waiting').map((i) => stripKeys<Ticket>(i));
  }

  async waitingCounts(ward: string, point: string, day: string): Promise<Readonly<Record<string, number>>> {
    const counts: Record<string, number> = {};
    for (const k of await waitingKeys(this.db, this.table, ward, point, day)) {
      const g = waitingRef(k)?.group;
      if (g) counts[g] = (counts[g] ?? 0) + 1;
    }
    return counts;
  }

  async save(change: QueueChange): Promise<void> {
    const { ticket, ticketWas, counter, counterWas } = change;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: ticketItem(ticket),
                ConditionExpression: '#st = :st AND #v = :v',
                ExpressionAttributeNames: { '#st': 'state', '#v': 'version' },
                ExpressionAttributeValues: { ':st': ticketWas.state, ':v': ticketWas.version },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: counterItem(counter),
                ...(counterWas === 0
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : {
                      ConditionExpression: '#v = :v',
                      ExpressionAttributeNames: { '#v': 'version' },
                      ExpressionAttributeValues: { ':v': counterWas },
                    }),
              },
            },
          ],
        }),
      );
    } catch (e) {
      if (isCancelled(e)) {
        const [t, c] = (e.CancellationReasons ?? []) as Reason[];
        // The counter first: a counter that changed must be read again before anything else.
        if (failed(c)) throw new QueueWriteConflictError('counter', { cause: e });
        if (failed(t)) throw new QueueWriteConflictError('ticket', { cause: e });
      }
      throw e;
    }
    // A first call adds its waiting time to the day's figures (the reports' visitor indicators).
    if (ticketWas.state === 'waiting' && ticket.state === 'called') await recordCalled(this.db, this.table, ticket);
  }
}
