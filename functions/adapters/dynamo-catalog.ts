/** CatalogRepository and CalendarRepository on the single table. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type CalendarYear, defaultCalendar, type WorkingCalendar } from '#shared/calendar.ts';
import type { Procedure } from '#shared/catalog.ts';
import { ConflictError } from '#shared/errors.ts';
import type { CalendarRepository, CatalogRepository, Page } from '#shared/ports.ts';
import { getItems, isConditionFailed } from './dynamo-util.ts';
import { decodeCursor, encodeCursor, keys, stripKeys } from './keys.ts';

export class DynamoCatalogRepository implements CatalogRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<Procedure | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.procedure(id) }));
    return r.Item ? stripKeys<Procedure>(r.Item) : undefined;
  }

  async listByWard(ward: string, opts: { limit: number; cursor?: string }): Promise<Page<Procedure>> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.procedureByWard(ward, '').GSI1PK },
        Limit: opts.limit,
        ExclusiveStartKey: decodeCursor(opts.cursor, {
          PK: true,
          SK: true,
          GSI1PK: keys.procedureByWard(ward, '').GSI1PK,
          GSI1SK: true,
        }),
      }),
    );
    const next = encodeCursor(r.LastEvaluatedKey);
    const items = await getItems(this.db, this.table, r.Items ?? []);
    return { items: items.map((i) => stripKeys<Procedure>(i)), ...(next ? { next } : {}) };
  }

  async put(p: Procedure, expectedVersion?: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.procedure(p.id), ...keys.procedureByWard(p.ward, p.id), entity: 'procedure', ...p },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (e) {
      if (isConditionFailed(e)) {
        throw new ConflictError('STALE_VERSION', 'Thủ tục vừa được người khác cập nhật; hãy thử lại.');
      }
      throw e;
    }
  }
}

/** Calendars change rarely: a container keeps one for a minute. */
const CACHE_MS = 60_000;

export class DynamoCalendarRepository implements CalendarRepository {
  private readonly cache = new Map<string, { at: number; cal: WorkingCalendar }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(ward: string): Promise<WorkingCalendar> {
    const hit = this.cache.get(ward);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.cal;
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.calendarPk(ward) },
      }),
    );
    const base = defaultCalendar();
    const years = { ...base.years };
    for (const item of r.Items ?? []) {
      years[String(item.year)] = {
        holidays: item.holidays as string[],
        workingDays: item.workingDays as string[],
        ...(Array.isArray(item.hours) ? { hours: item.hours as CalendarYear['hours'] } : {}),
      };
    }
    const cal: WorkingCalendar = { ...base, years };
    this.cache.set(ward, { at: Date.now(), cal });
    return cal;
  }

  /** Replaces a year, conditional on the version read: two administrators at once, one wins (409). */
  async putYear(ward: string, year: number, cfg: CalendarYear): Promise<void> {
    const key = keys.calendar(ward, year);
    const cur = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    const version = typeof cur.Item?.version === 'number' ? cur.Item.version : 0;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, entity: 'calendar', year, ...cfg, version: version + 1 },
          ...(version === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } }),
        }),
      );
    } catch (e) {
      if (isConditionFailed(e)) {
        throw new ConflictError('STALE_VERSION', 'Lịch làm việc vừa được người khác cập nhật; hãy thử lại.');
      }
      throw e;
    }
    this.cache.delete(ward);
  }
}
