/** Table keys, in one place: every adapter builds its keys here. */
import { createHash } from 'node:crypto';
import type { Appointment } from '#shared/appointments.ts';
import { ValidationError } from '#shared/errors.ts';
import type { DossierFact } from '#shared/indicators.ts';
import type { SlaAlarm } from '#shared/ports.ts';
import type { Ticket, TicketKey } from '#shared/queue.ts';

const NOTIFICATION_PREFIX = 'NOTIF#';
const HISTORY_PREFIX = 'HIST#';
const RECEIPT_PREFIX = 'RECEIPT#';
/** The sort key of a dossier in its applicant's partition, by its position `<submittedAt>#<id>`. */
const applicantDossierSk = (position: string) => `DOSSIER#${position}`;
const sequence = (scope: string) => ({ PK: `SEQ#${scope}`, SK: 'SEQ' });
const SLOT_PREFIX = 'SLOT#';
const wardFactsPk = (ward: string) => `WARD#${ward}#FACT`;

/** An identity number as it appears in keys: hashed, never raw. */
const applicantPk = (idNumber: string) =>
  `APPLICANT#${createHash('sha256').update(`motcua-applicant:${idNumber}`).digest('base64url')}`;

export const keys = {
  procedure: (id: string) => ({ PK: `PROC#${id}`, SK: 'PROC' }),
  procedureByWard: (ward: string, id: string) => ({ GSI1PK: `WARD#${ward}#PROC`, GSI1SK: id }),
  calendar: (ward: string, year: number) => ({ PK: `CAL#${ward}`, SK: `YEAR#${year}` }),
  calendarPk: (ward: string) => `CAL#${ward}`,
  dossier: (id: string) => ({ PK: `DOSSIER#${id}`, SK: 'DOSSIER' }),
  dossierCode: (code: string) => ({ PK: `CODE#${code}`, SK: 'CODE' }),
  /** Public lookup attempts of a code by one client (source IP) in one hour (`yyyy-mm-ddThh`, UTC). */
  lookupAttempts: (code: string, hour: string, client: string) => ({
    PK: `LOOKUP#${code}`,
    SK: `TRY#${hour}#${client.slice(0, 64)}`,
  }),
  history: (id: string, version: number) => ({
    PK: `DOSSIER#${id}`,
    SK: `${HISTORY_PREFIX}${String(version).padStart(6, '0')}`,
  }),
  /** The sort-key prefix of a dossier's history entries (in its partition). */
  historyPrefix: HISTORY_PREFIX,
  dossierPk: (id: string) => `DOSSIER#${id}`,
  /**
   * The Query of a dossier's partition from its item (`DOSSIER`) to the end of its history
   * (`HIST#…`): the sort keys between them are the portal sync's state alone (`DVCQG`); the inbox
   * and the receipts sort after `HIST$` and are not read.
   */
  dossierThroughHistory: (id: string) => ({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': `DOSSIER#${id}`,
      ':from': 'DOSSIER',
      // '$' sorts right after '#': every HIST#… key, nothing after them.
      ':to': `${HISTORY_PREFIX.slice(0, -1)}$`,
    },
  }),
  wardDossiers: (ward: string) => `WARD#${ward}#DOSSIER`,
  ownerDossiers: (sub: string) => `OWNER#${sub}`,
  openDossiers: (ward: string) => `WARD#${ward}#OPEN`,
  sequence,
  /** The counter of a unit's dossier codes of a day. */
  dossierSequence: (unitCode: string, day: string) => sequence(`DOSSIER#${unitCode}#${day}`),
  outbox: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: 'OUTBOX' }),
  processed: (consumer: string, eventId: string) => ({ PK: `DONE#${consumer}#${eventId}`, SK: 'DONE' }),
  payment: (orderId: string) => ({ PK: `PAYMENT#${orderId}`, SK: 'PAYMENT' }),
  /** One pending payment per dossier and gateway: created with it, deleted when it settles. */
  pendingPayment: (dossierId: string, gateway: string) => ({
    PK: `DOSSIER#${dossierId}`,
    SK: `PAYMENT#PENDING#${gateway}`,
  }),
  /** GSI3 partition of pending payments (reconciliation), by creation time. */
  pendingPayments: 'PAYMENTS#PENDING',
  upload: (uploadId: string) => ({ PK: `UPLOAD#${uploadId}`, SK: 'UPLOAD' }),
  /** A message sent about a dossier, once per event, channel and audience (its inbox). */
  notification: (dossierId: string, eventId: string, channel: string, audience: string) => ({
    PK: `DOSSIER#${dossierId}`,
    SK: `${NOTIFICATION_PREFIX}${eventId}#${channel}#${audience}`,
  }),
  /** The sort-key prefix of a dossier's inbox (its notifications in its partition). */
  notificationPrefix: NOTIFICATION_PREFIX,
  signed: (code: string) => ({ PK: `SIGNED#${code}`, SK: 'SIGNED' }),
  /** The ward directory: every ward of the deployment in one partition. */
  wardsPk: 'WARDS',
  ward: (id: string) => ({ PK: 'WARDS', SK: `WARD#${id}` }),
  /** Which ward holds a unit code (mã đơn vị): one ward per code. */
  unitCode: (code: string) => ({ PK: `UNITCODE#${code}`, SK: 'UNITCODE' }),
  /** GSI2 partition of the dossiers a community digital team member helped with. */
  assistedDossiers: (ward: string, sub: string) => `ASSIST#${ward}#${sub}`,
  /**
   * The dossiers whose applicant has an identity number, by a hash of it (the raw number stays
   * out of keys): one item per dossier, written in the submission's transaction.
   */
  applicantPk,
  applicantDossier: (idNumber: string, submittedAt: string, id: string) => ({
    PK: applicantPk(idNumber),
    SK: applicantDossierSk(`${submittedAt}#${id}`),
  }),
  applicantDossierSk,
  /** The sort-key prefix of the dossiers in an applicant's partition. */
  applicantDossierPrefix: applicantDossierSk(''),
  /** An electronic receipt, by its id. */
  receipt: (id: string) => ({ PK: `RECEIPT#${id}`, SK: 'RECEIPT' }),
  /** The same receipt under its dossier, once per payment (`attribute_not_exists`: never two). */
  dossierReceipt: (dossierId: string, paymentRef: string) => ({
    PK: `DOSSIER#${dossierId}`,
    SK: `${RECEIPT_PREFIX}${paymentRef}`,
  }),
  /** The sort-key prefix of a dossier's receipts (in its partition). */
  receiptPrefix: RECEIPT_PREFIX,
  /** The receipt counter of a ward's series and year (gap-free numbers; no TTL). */
  receiptSequence: (ward: string, series: string, year: number) => ({
    PK: `SEQ#RECEIPT#${ward}#${series}#${year}`,
    SK: 'SEQ',
  }),
  /** The statistics' fact row of a dossier, listed per ward by submission time through GSI1. */
  fact: (f: Pick<DossierFact, 'dossierId' | 'ward' | 'submittedAt'>) => ({
    PK: `FACT#${f.dossierId}`,
    SK: 'FACT',
    GSI1PK: wardFactsPk(f.ward),
    GSI1SK: `${f.submittedAt}#${f.dossierId}`,
  }),
  wardFacts: wardFactsPk,
  /** The marker of a deadline warning raised once (per dossier, kind and deadline). */
  slaAlarm: (a: SlaAlarm) => ({ PK: `SLA#${a.dossierId}#${a.kind}#${a.dueAt}`, SK: 'SLA' }),
  /** The national portal sync state of a dossier, beside it in its partition. */
  portalSync: (dossierId: string) => ({ PK: `DOSSIER#${dossierId}`, SK: 'DVCQG' }),
  /** GSI3 partition of a ward's dossiers marked pending: a change the portal may not have (shared/dvcqg/sync.ts). */
  portalSyncPending: (ward: string) => `WARD#${ward}#DVCQG`,
} as const;

const pad5 = (n: number) => String(n).padStart(5, '0');

/** The queue's keys: a point's day (its counters and tickets), the waiting index, the counters. */
export const queueKeys = {
  dayPk: (ward: string, point: string, day: string) => `QUEUE#${ward}#${point}#${day}`,
  sequence: (ward: string, point: string, day: string, group: string) => ({
    PK: queueKeys.dayPk(ward, point, day),
    SK: `SEQ#${group}`,
  }),
  ticket: (k: TicketKey) => ({
    PK: queueKeys.dayPk(k.ward, k.point, k.day),
    SK: `TICKET#${k.group}#${pad5(k.number)}`,
  }),
  waitingPk: (ward: string, point: string, day: string) => `QUEUE#${ward}#${point}#${day}#WAITING`,
  waiting: (t: Ticket) => ({
    GSI1PK: queueKeys.waitingPk(t.ward, t.point, t.day),
    GSI1SK: `${t.issuedAt}#${t.group}#${pad5(t.number)}`,
  }),
  counter: (ward: string, counterId: string) => ({ PK: `COUNTER#${ward}#${counterId}`, SK: 'COUNTER' }),
  /** The queue's day figures of a point (functions/adapters/queue-stats.ts), per ward. */
  statsPk: (ward: string) => `QSTAT#${ward}`,
  stats: (ward: string, day: string, point: string) => ({ PK: queueKeys.statsPk(ward), SK: `DAY#${day}#${point}` }),
  /** The sort key of a day's figures (all points), for a range over days. */
  statsDay: (day: string) => `DAY#${day}`,
} as const;

/** The appointments' keys. */
export const appointmentKeys = {
  pointPk: (ward: string, point: string) => `APPTPOINT#${ward}#${point}`,
  settings: (ward: string, point: string) => ({ PK: appointmentKeys.pointPk(ward, point), SK: 'SETTINGS' }),
  /** The slot's counter of bookings; `slotKey` is the local start `YYYY-MM-DDTHH:MM`. */
  slot: (ward: string, point: string, slotKey: string) => ({
    PK: appointmentKeys.pointPk(ward, point),
    SK: `${SLOT_PREFIX}${slotKey}`,
  }),
  /** The sort-key prefix of a point's slots. */
  slotPrefix: SLOT_PREFIX,
  appointment: (id: string) => ({ PK: `APPT#${id}`, SK: 'APPT' }),
  code: (code: string) => ({ PK: `APPTCODE#${code}`, SK: 'CODE' }),
  /** A citizen holds at most one booking per slot. */
  hold: (a: Pick<Appointment, 'ward' | 'point' | 'slotKey' | 'sub'>) => ({
    PK: `APPTHOLD#${a.ward}#${a.point}#${a.slotKey}#${a.sub}`,
    SK: 'HOLD',
  }),
  /** GSI2: a citizen's appointments. */
  owner: (sub: string) => `APPTOWNER#${sub}`,
  /** GSI1: a date's booked appointments not yet reminded (the key is removed once reminded or closed). */
  reminders: (date: string) => `APPTDAY#${date}`,
} as const;

/** The kiosk devices' keys: by client id, listed per ward through GSI1. */
export const kioskKeys = {
  kiosk: (clientId: string) => ({ PK: `KIOSK#${clientId}`, SK: 'KIOSK' }),
  byWard: (ward: string, clientId: string) => ({ GSI1PK: `WARD#${ward}#KIOSK`, GSI1SK: clientId }),
} as const;

/** Outbox items live a week; the relay has long published them by then. */
export const OUTBOX_TTL_S = 7 * 24 * 3600;
export const DEDUP_TTL_S = 30 * 24 * 3600;

export const epochS = (d: Date = new Date()): number => Math.floor(d.getTime() / 1000);

/** Opaque pagination cursor over a DynamoDB LastEvaluatedKey. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * The DynamoDB start key inside a cursor, checked against the query it continues: exactly the
 * expected attributes, all strings, and the partition it must stay in (a cursor from another
 * ward's or citizen's list is refused, never run). Anything else is a 400 INVALID_CURSOR.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: Readonly<Record<string, string | true>>,
): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = new ValidationError('Con trỏ phân trang không hợp lệ.', undefined, 'INVALID_CURSOR');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length !== Object.keys(shape).length) throw invalid;
  const out: Record<string, string> = {};
  for (const [k, expected] of Object.entries(shape)) {
    const value = (v as Record<string, unknown>)[k];
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024) throw invalid;
    if (expected !== true && value !== expected) throw invalid;
    out[k] = value;
  }
  return out;
}

/** Removes the table's key attributes from an item read back. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, expiresAt, entity, ...rest } = item;
  return rest as T;
}
