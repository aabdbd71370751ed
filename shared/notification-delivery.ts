/**
 * Delivering citizens' notifications: which channels a message goes through (per message and per
 * citizen), phone numbers in E.164, and the sender port each channel's adapter implements (SMS
 * through AWS End User Messaging, e-mail through SES, Zalo ZNS templates; locally a preview).
 * Pure: no I/O here.
 */
import type { ChannelName } from './notifications.ts';

/**
 * A Vietnamese phone number in E.164 (`+84` and 9 or 10 digits), or undefined when it is not
 * one: `0912 345 678`, `84912345678`, `+84 912-345-678`, `0084912345678` all give `+84912345678`.
 */
export function toE164Vn(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const compact = phone.replace(/[\s.\-()]/g, '');
  let national: string;
  if (/^\+84\d+$/.test(compact)) national = compact.slice(3);
  else if (/^0084\d+$/.test(compact)) national = compact.slice(4);
  else if (/^84\d{9,10}$/.test(compact)) national = compact.slice(2);
  else if (/^0\d+$/.test(compact)) national = compact.slice(1);
  else return undefined;
  // Mobile: 9 digits starting 3, 5, 7, 8 or 9; landline: 10 digits starting 2.
  if (/^[35789]\d{8}$/.test(national) || /^2\d{9}$/.test(national)) return `+84${national}`;
  return undefined;
}

/** What one channel sends: the provider's request, minus credentials (also what the local inbox shows). */
export interface OutgoingMessage {
  readonly channel: ChannelName;
  /** E.164 phone number (SMS, Zalo) or e-mail address. */
  readonly to: string;
  readonly kind: string;
  readonly text: string;
  /** The dossier code, for the e-mail subject and the Zalo template. */
  readonly code: string;
  /** Idempotency / tracking key at the provider. */
  readonly trackingId: string;
}

/** A provider's answer. `retryable` failures are retried (the queue message comes back, then the DLQ). */
export type DeliveryResult =
  | { readonly status: 'sent'; readonly providerMessageId?: string | undefined; readonly preview?: unknown }
  | { readonly status: 'failed'; readonly retryable: boolean; readonly error: string };

/** The port each channel's adapter implements. */
export interface ChannelSender {
  readonly channel: ChannelName;
  deliver(m: OutgoingMessage): Promise<DeliveryResult>;
}

/** The contact details a dossier's applicant gave, as channel preferences. */
interface ApplicantContacts {
  readonly phone?: string;
  readonly email?: string | undefined;
}

/**
 * The messages for one notice: to the phone by Zalo when a ZNS template is set up for its kind
 * (citizens read Zalo; it costs less than SMS), else by SMS; and by e-mail when the applicant gave
 * an address. Only channels that are configured (`available`) are used.
 */
export function planMessages(
  contacts: ApplicantContacts,
  notice: { readonly kind: string; readonly text: string; readonly code: string; readonly eventId: string },
  available: { readonly has: (c: ChannelName) => boolean; readonly zaloTemplateFor: (kind: string) => boolean },
): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  const phone = toE164Vn(contacts.phone);
  const base = { kind: notice.kind, text: notice.text, code: notice.code };
  if (phone) {
    const byZalo = available.has('zalo') && available.zaloTemplateFor(notice.kind);
    const channel: ChannelName | undefined = byZalo ? 'zalo' : available.has('sms') ? 'sms' : undefined;
    if (channel) out.push({ ...base, channel, to: phone, trackingId: `${notice.eventId}:${channel}` });
  }
  const email = contacts.email?.trim();
  if (email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && available.has('email')) {
    out.push({ ...base, channel: 'email', to: email, trackingId: `${notice.eventId}:email` });
  }
  return out;
}
