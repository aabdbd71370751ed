/**
 * Sends the citizen a Vietnamese message per status change (and the apology when overdue). The
 * message is written from the STORED dossier and the stored copy of the event (its history entry
 * or outbox item), never from the queue message alone: a forged message is ignored.
 */
import type { Dossier } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { planMessages } from '#shared/notification-delivery.ts';
import { citizenMessage } from '#shared/notifications.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { channelsFromEnv } from './adapters/notification-channels.ts';
import { StoredEvents } from './adapters/stored-events.ts';
import { TableInbox } from './adapters/table-inbox.ts';
import { remindAppointment } from './lib/appointment-reminder.ts';
import { dossierEventConsumer } from './lib/consumer.ts';
import { dossierRepository } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

const inbox = new TableInbox(dynamo(), tableName());
const stored = new StoredEvents(dynamo(), tableName());
let configured: ReturnType<typeof channelsFromEnv> | undefined;
const channels = () => {
  configured ??= channelsFromEnv();
  return configured;
};

export const handler = dossierEventConsumer(
  'notifier',
  (ids) => dossierRepository().getMany(ids),
  async (d, events) => {
    for (const received of events) {
      // The stored copy of the event (history entry or outbox item), never the queue message alone.
      const event = await stored.find(received.dossierId, received.id);
      if (!event) {
        // Not written by a state change of this dossier: forged, or replayed after its outbox expired.
        logger.warn('event not stored with its dossier: ignored', { eventId: received.id, type: received.type });
        continue;
      }
      if (event.type === 'AppointmentReminderDue') await remindAppointment(inbox, event);
      else if (!d) throw new Error(`dossier ${event.dossierId} not found`);
      else await notify(d, event);
    }
  },
);

async function notify(d: Dossier, event: AnyDomainEvent): Promise<void> {
  const at = new Date().toISOString();
  if (event.type === 'DossierDueSoon') {
    await inbox.send({
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
    return;
  }
  const msg = citizenMessage(event, d);
  if (!msg) return;
  const plan = planMessages(
    d.applicant,
    { kind: msg.kind, text: msg.text, code: d.code, eventId: event.id },
    // SMS and e-mail are always recorded (sent when configured); Zalo only where a template is set up.
    {
      has: (c) => c !== 'zalo' || channels().senders.has('zalo'),
      zaloTemplateFor: (k) => k in channels().zaloTemplates,
    },
  );
  let retry: string | undefined;
  for (const m of plan) {
    const n = {
      eventId: event.id,
      dossierId: d.id,
      ward: d.ward,
      channel: m.channel,
      to: m.to,
      audience: 'citizen' as const,
      kind: m.kind,
      text: m.text,
      at,
    };
    const fresh = await inbox.send(n);
    // A redelivered event sends again only what failed with a retryable error.
    if (!fresh && (await inbox.deliveryStatus(n)) !== 'failed') continue;
    const sender = channels().senders.get(m.channel);
    if (!sender) {
      await inbox.recordDelivery(n, { status: 'unsent', error: 'ChannelNotConfigured' });
      continue;
    }
    const result = await sender.deliver(m);
    await inbox.recordDelivery(n, result);
    // No phone number, address or name in the logs: the event, the channel and the outcome.
    logger.info('notification delivery', { kind: m.kind, channel: m.channel, status: result.status });
    if (result.status === 'failed' && result.retryable) retry = `${m.channel}: ${result.error}`;
  }
  // The queue brings the event back (then its DLQ): only the failed channel is tried again.
  if (retry) throw new Error(`notification delivery to be retried (${retry})`);
}
