/**
 * Appointments in the table. A booking is one TransactWriteItems: the slot's counter goes up only
 * while `booked < capacity`, the citizen's hold on the slot must not exist yet, and the
 * appointment and its code are new. Whatever the concurrency, a slot never holds more bookings
 * than its capacity; a cancellation gives the place back in the same transaction as the status.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Appointment, AppointmentRepository, PointSettings } from '#shared/appointments.ts';
import { AppointmentChangedError, BookingRefusedError } from '#shared/errors.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import type { Ticket, TicketKey } from '#shared/queue.ts';
import { ticketItem } from './dynamo-queue.ts';
import { getItems, isCancelled, isConditionFailed, isTxConflict, queryAll, queryIndexItems } from './dynamo-util.ts';
import { appointmentKeys, epochS, queueKeys, stripKeys } from './keys.ts';
import { outboxPuts } from './outbox.ts';
import { recordIssued } from './queue-stats.ts';

const DAY_S = 24 * 3600;
/** Appointments and codes are kept a year and a bit after their slot (the center's statistics). */
const APPOINTMENT_TTL_S = 400 * DAY_S;

const expiry = (a: Appointment) => Math.floor(Date.parse(a.end) / 1000) + APPOINTMENT_TTL_S;

function appointmentItem(a: Appointment): Record<string, unknown> {
  return {
    ...appointmentKeys.appointment(a.id),
    entity: 'appointment',
    ...a,
    GSI2PK: appointmentKeys.owner(a.sub),
    GSI2SK: `${a.start}#${a.id}`,
    ...(a.status === 'booked' && !a.remindedAt
      ? { GSI1PK: appointmentKeys.reminders(a.date), GSI1SK: `${a.start}#${a.id}` }
      : {}),
    expiresAt: expiry(a),
  };
}

type Reason = { Code?: string } | undefined;
const conditionFailed = (r: Reason) => r?.Code === 'ConditionalCheckFailed';
const conflicted = (r: Reason) => r?.Code === 'TransactionConflict';

export class DynamoAppointmentRepository implements AppointmentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async settings(ward: string, point: string): Promise<PointSettings | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: appointmentKeys.settings(ward, point), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<PointSettings>(r.Item) : undefined;
  }

  async putSettings(s: PointSettings, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...appointmentKeys.settings(s.ward, s.point), entity: 'appointment-settings', ...s },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: '#v = :v',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': expectedVersion },
              }),
        }),
      );
    } catch (e) {
      if (isConditionFailed(e)) throw new AppointmentChangedError({ cause: e });
      throw e;
    }
  }

  async hasBookingsFrom(ward: string, point: string, fromDate: string): Promise<boolean> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
      FilterExpression: 'booked > :zero',
      ExpressionAttributeValues: {
        ':pk': appointmentKeys.pointPk(ward, point),
        ':a': `${appointmentKeys.slotPrefix}${fromDate}`,
        ':b': `${appointmentKeys.slotPrefix}~`,
        ':zero': 0,
      },
      ProjectionExpression: 'SK',
    });
    return items.length > 0;
  }

  async booked(ward: string, point: string, date: string): Promise<Readonly<Record<string, number>>> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :day)',
      ExpressionAttributeValues: {
        ':pk': appointmentKeys.pointPk(ward, point),
        ':day': `${appointmentKeys.slotPrefix}${date}T`,
      },
      ConsistentRead: true,
    });
    const out: Record<string, number> = {};
    for (const i of items)
      out[String(i.SK).slice(appointmentKeys.slotPrefix.length)] = typeof i.booked === 'number' ? i.booked : 0;
    return out;
  }

  async book(a: Appointment, capacity: number): Promise<void> {
    const slotExpires = expiry(a);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: appointmentKeys.slot(a.ward, a.point, a.slotKey),
                UpdateExpression: 'SET entity = :e, expiresAt = :exp ADD booked :one',
                ConditionExpression: 'attribute_not_exists(booked) OR booked < :cap',
                ExpressionAttributeValues: {
                  ':e': 'appointment-slot',
                  ':exp': slotExpires,
                  ':one': 1,
                  ':cap': capacity,
                },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...appointmentKeys.hold(a),
                  entity: 'appointment-hold',
                  appointmentId: a.id,
                  expiresAt: Math.floor(Date.parse(a.end) / 1000) + DAY_S,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: appointmentItem(a),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...appointmentKeys.code(a.code),
                  entity: 'appointment-code',
                  appointmentId: a.id,
                  expiresAt: slotExpires,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    } catch (e) {
      if (isCancelled(e)) {
        const [slot, hold, appt, code] = (e.CancellationReasons ?? []) as Reason[];
        if (conditionFailed(hold)) throw new BookingRefusedError('duplicate', { cause: e });
        if (conditionFailed(slot)) throw new BookingRefusedError('full', { cause: e });
        if (conditionFailed(code) || conditionFailed(appt)) throw new BookingRefusedError('code', { cause: e });
        if ([slot, hold, appt, code].some(conflicted)) throw new BookingRefusedError('busy', { cause: e });
      }
      if (isTxConflict(e)) throw new BookingRefusedError('busy', { cause: e });
      throw e;
    }
  }

  async get(id: string): Promise<Appointment | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: appointmentKeys.appointment(id), ConsistentRead: true }),
    );
    return r.Item ? stripKeys<Appointment>(r.Item) : undefined;
  }

  async byCode(code: string): Promise<Appointment | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: appointmentKeys.code(code), ConsistentRead: true }),
    );
    const id = r.Item?.appointmentId;
    return typeof id === 'string' ? this.get(id) : undefined;
  }

  async listByOwner(sub: string, limit: number): Promise<readonly Appointment[]> {
    const pk = appointmentKeys.owner(sub);
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const items = await getItems(this.db, this.table, r.Items ?? []);
    return items.filter((i) => i.GSI2PK === pk).map((i) => stripKeys<Appointment>(i));
  }

  /** The appointment's Put, only if it is still the booked version that was read. */
  private conditionalPut(next: Appointment, expectedVersion: number) {
    return {
      Put: {
        TableName: this.table,
        Item: appointmentItem(next),
        ConditionExpression: '#v = :v AND #st = :booked',
        ExpressionAttributeNames: { '#v': 'version', '#st': 'status' },
        ExpressionAttributeValues: { ':v': expectedVersion, ':booked': 'booked' },
      },
    };
  }

  async cancel(next: Appointment, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            this.conditionalPut(next, expectedVersion),
            {
              Update: {
                TableName: this.table,
                Key: appointmentKeys.slot(next.ward, next.point, next.slotKey),
                UpdateExpression: 'ADD booked :minus',
                ConditionExpression: 'booked >= :one',
                ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
              },
            },
            { Delete: { TableName: this.table, Key: appointmentKeys.hold(next) } },
          ],
        }),
      );
    } catch (e) {
      if (isCancelled(e) || isTxConflict(e)) throw new AppointmentChangedError({ cause: e });
      throw e;
    }
  }

  async checkIn(
    next: Appointment,
    expectedVersion: number,
    scope: Omit<TicketKey, 'number'>,
    build: (n: number) => Ticket,
  ): Promise<Ticket> {
    // The priority numbers' day counter, as the queue's: a lost check-in leaves a gap, never a repeat.
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: queueKeys.sequence(scope.ward, scope.point, scope.day, scope.group),
        UpdateExpression: 'SET entity = :e, expiresAt = :exp ADD n :one',
        ExpressionAttributeValues: { ':e': 'queue-seq', ':exp': epochS() + 3 * DAY_S, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const n = r.Attributes?.n;
    if (typeof n !== 'number') throw new Error('queue sequence returned no number');
    const ticket = build(n);
    const used: Appointment = { ...next, ticketId: ticket.id, ticketDisplay: ticket.display };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            this.conditionalPut(used, expectedVersion),
            {
              Put: { TableName: this.table, Item: ticketItem(ticket), ConditionExpression: 'attribute_not_exists(PK)' },
            },
          ],
        }),
      );
    } catch (e) {
      if (isCancelled(e) || isTxConflict(e)) throw new AppointmentChangedError({ cause: e });
      throw e;
    }
    await recordIssued(this.db, this.table, ticket);
    return ticket;
  }

  async dueReminders(date: string): Promise<readonly Appointment[]> {
    const pk = appointmentKeys.reminders(date);
    const items = await queryIndexItems(
      this.db,
      {
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      },
      (i) => i.GSI1PK === pk,
    );
    return items.map((i) => stripKeys<Appointment>(i));
  }

  async markReminded(next: Appointment, expectedVersion: number, event: AnyDomainEvent): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [this.conditionalPut(next, expectedVersion), ...outboxPuts(this.table, [event])],
        }),
      );
      return true;
    } catch (e) {
      if (isCancelled(e) || isTxConflict(e)) return false;
      throw e;
    }
  }
}
