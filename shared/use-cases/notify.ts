/**
 * What a dossier's event tells whom (thông báo): officials are warned by e-mail of a dossier due
 * soon; the citizen gets the event's message on the channels planned for their contacts (Zalo
 * where a template is set up, else SMS; e-mail when given). Each message is recorded once in the
 * dossier's inbox; a redelivered event sends again only what failed with a retryable error.
 */
import type { Dossier } from '../dossier.ts';
import type { AnyDomainEvent } from '../events.ts';
import { type ChannelSender, type DeliveryResult, planMessages } from '../notification-delivery.ts';
import { type ChannelName, citizenMessage, type Notification, type NotificationChannel } from '../notifications.ts';
import type { Clock } from '../ports.ts';

/** The dossier's inbox with the delivery record of each message (functions/adapters/table-inbox.ts). */
export interface NotificationInbox extends NotificationChannel {
  /** Where the message's delivery stands: undefined before any attempt. */
  deliveryStatus(n: Notification): Promise<string | undefined>;
  recordDelivery(n: Notification, r: DeliveryResult | { status: 'unsent'; error: string }): Promise<void>;
}

/** The senders configured for this deployment, by channel, and the Zalo templates by message kind. */
interface NotificationSenders {
  readonly senders: ReadonlyMap<ChannelName, ChannelSender>;
  readonly zaloTemplates: Readonly<Record<string, string>>;
}

interface NotifyDeps {
  readonly inbox: NotificationInbox;
  readonly channels: NotificationSenders;
  readonly clock: Clock;
}

/** One provider's answer for one message (no phone number, address or name: fit for the logs). */
interface Delivery {
  readonly kind: string;
  readonly channel: ChannelName;
  readonly status: DeliveryResult['status'];
}

interface NotifyOutcome {
  readonly deliveries: readonly Delivery[];
  /** Set when a channel failed with a retryable error: the event is to come back for it. */
  readonly retry?: string;
}

/** Sends what `event` tells about dossier `d`; the caller hands the event back when `retry` is set. */
export async function notifyDossierEvent(deps: NotifyDeps, d: Dossier, event: AnyDomainEvent): Promise<NotifyOutcome> {
  const at = deps.clock.now().toISOString();
  if (event.type === 'DossierDueSoon') {
    await deps.inbox.send({
      eventId: event.id,
      dossierId: d.id,
      ward: d.ward,
      channel: 'email',
      to: `can-bo@${d.ward}`,
      audience: 'staff',
      kind: 'due-soon',
      text: `Hồ sơ ${d.code} (${d.procedureName}) sắp đến hạn giải quyết (${event.data.dueAt}).`,
      at,
    });
    return { deliveries: [] };
  }
  const msg = citizenMessage(event, d);
  if (!msg) return { deliveries: [] };
  const { senders, zaloTemplates } = deps.channels;
  const plan = planMessages(
    d.applicant,
    { kind: msg.kind, text: msg.text, code: d.code, eventId: event.id },
    // SMS and e-mail are always recorded (sent when configured); Zalo only where a template is set up.
    { has: (c) => c !== 'zalo' || senders.has('zalo'), zaloTemplateFor: (k) => k in zaloTemplates },
  );
  const deliveries: Delivery[] = [];
  let retry: string | undefined;
  for (const m of plan) {
    const n: Notification = {
      eventId: event.id,
      dossierId: d.id,
      ward: d.ward,
      channel: m.channel,
      to: m.to,
      audience: 'citizen',
      kind: m.kind,
      text: m.text,
      at,
    };
    const fresh = await deps.inbox.send(n);
    if (!fresh && (await deps.inbox.deliveryStatus(n)) !== 'failed') continue;
    const sender = senders.get(m.channel);
    if (!sender) {
      await deps.inbox.recordDelivery(n, { status: 'unsent', error: 'ChannelNotConfigured' });
      continue;
    }
    const result = await sender.deliver(m);
    await deps.inbox.recordDelivery(n, result);
    deliveries.push({ kind: m.kind, channel: m.channel, status: result.status });
    if (result.status === 'failed' && result.retryable) retry = `${m.channel}: ${result.error}`;
  }
  return retry ? { deliveries, retry } : { deliveries };
}
