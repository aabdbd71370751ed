/**
 * Sends the citizen a Vietnamese message per status change (and the apology when overdue). The
 * message is written from the STORED dossier and the stored copy of the event (its history entry
 * or outbox item), never from the queue message alone: a forged message is ignored.
 */
import type { Dossier } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { systemClock } from '#shared/ports.ts';
import { notifyDossierEvent } from '#shared/use-cases/notify.ts';
import { remindAppointment } from './lib/appointment-reminder.ts';
import { dossierEventConsumer } from './lib/consumer.ts';
import { notificationChannels as channels, notificationInbox, storedEvents } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

export const handler = dossierEventConsumer(
  'notifier',
  // Each dossier with the events its history holds, one Query each (in parallel).
  async (ids) =>
    new Map(await Promise.all(ids.map(async (id) => [id, await storedEvents().dossierWithEvents(id)] as const))),
  async (read, events) => {
    const d = read?.dossier;
    // The stored copies of the events (history entries or outbox items), never the queue message alone.
    const stored = await storedEvents().findAll(
      events[0]?.dossierId ?? '',
      [...new Set(events.map((e) => e.id))],
      read?.events ?? new Map(),
    );
    for (const received of events) {
      const event = stored.get(received.id);
      if (!event) {
        // Not written by a state change of this dossier: forged, or replayed after its outbox expired.
        logger.warn('event not stored with its dossier: ignored', { eventId: received.id, type: received.type });
        continue;
      }
      if (event.type === 'AppointmentReminderDue') await remindAppointment(notificationInbox(), event);
      else if (!d) throw new Error(`dossier ${event.dossierId} not found`);
      else await notify(d, event);
    }
  },
);

async function notify(d: Dossier, event: AnyDomainEvent): Promise<void> {
  // The system's clock stamps the messages (never the local runtime's shifted one), as before.
  const outcome = await notifyDossierEvent(
    { inbox: notificationInbox(), channels: channels(), clock: systemClock },
    d,
    event,
  );
  // No phone number, address or name in the logs: the event, the channel and the outcome.
  for (const { kind, channel, status } of outcome.deliveries)
    logger.info('notification delivery', { kind, channel, status });
  // The queue brings the event back (then its DLQ): only the failed channel is tried again.
  if (outcome.retry) throw new Error(`notification delivery to be retried (${outcome.retry})`);
}
