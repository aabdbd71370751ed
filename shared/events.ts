/**
 * Domain events: what a state change promises to the rest of the system. Versioned; consumers
 * deduplicate by `id`. They travel through the transactional outbox to the event bus.
 */
import type { Status } from './dossier.ts';

export const EVENT_SOURCE = 'motcua.dossiers';

export interface EventPayloads {
  DossierSubmitted: {
    code: string;
    procedureId: string;
    channel: 'online' | 'counter';
    status: Status;
    fee: number;
    submittedAt: string;
    appointmentAt?: string;
    /** Submitted by a community digital team member on the citizen's behalf. */
    assisted?: boolean;
  };
  DossierStatusChanged: {
    code: string;
    procedureId: string;
    channel: 'online' | 'counter';
    from: Status;
    to: Status;
    version: number;
    by: string;
    reason?: string;
    dueAt?: string;
    appointmentAt?: string;
    endedAt?: string;
    onTime?: boolean;
    supplementCount: number;
  };
  DossierDueSoon: { code: string; dueAt: string; status: Status };
  DossierOverdue: { code: string; dueAt: string; status: Status; newAppointmentAt: string };
  DocumentDigitized: { componentId: string; key: string; size: number; sha256: string; contentType: string };
  DocumentQuarantined: { componentId: string; key: string; reason: string };
  PaymentConfirmed: { orderId: string; gateway: 'vnpay' | 'momo' | 'cash'; amount: number; online: boolean };
  /** An electronic receipt (biên lai điện tử) was issued for a collected fee. */
  ReceiptIssued: {
    receiptId: string;
    code: string;
    series: string;
    number: number;
    amount: number;
    method: 'vnpay' | 'momo' | 'cash';
  };
  FeedbackReceived: { score: number; complaint: boolean };
  /** The day before a booked slot (shared/appointments.ts); the event's `dossierId` is the appointment's id. */
  AppointmentReminderDue: {
    code: string;
    point: string;
    pointName: string;
    start: string;
    end: string;
    sub: string;
    phone?: string;
    email?: string;
  };
  /** The apology and extension (form 04) was sent: the new date, the original deadline kept. */
  DossierExtended: { code: string; dueAt: string; newAppointmentAt: string; reason: string };
  /** A leader signed the electronic result (kết quả điện tử). */
  ResultSigned: { code: string; signedAt: string; resultSha256: string };
}

export type EventType = keyof EventPayloads;

export interface DomainEvent<T extends EventType = EventType> {
  readonly id: string;
  readonly type: T;
  readonly version: 1;
  readonly occurredAt: string;
  readonly ward: string;
  readonly dossierId: string;
  /** Follows one dossier's request across HTTP, the outbox, the bus and the queues. */
  readonly correlationId?: string;
  readonly data: EventPayloads[T];
}

export type AnyDomainEvent = { [K in EventType]: DomainEvent<K> }[EventType];

export function newEvent<T extends EventType>(
  type: T,
  at: Date,
  subject: { ward: string; dossierId: string; correlationId?: string },
  data: EventPayloads[T],
): DomainEvent<T> {
  return {
    id: crypto.randomUUID(),
    type,
    version: 1,
    occurredAt: at.toISOString(),
    ward: subject.ward,
    dossierId: subject.dossierId,
    ...(subject.correlationId ? { correlationId: subject.correlationId } : {}),
    data,
  };
}
