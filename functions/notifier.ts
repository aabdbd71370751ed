/**
 * Sends the citizen a Vietnamese message per status change (and the apology when overdue). The
 * message is written from the STORED dossier and the stored copy of the event (its history entry
 * or outbox item), never from the queue message alone: a forged message is ignored.
 */
import type { Dossier } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { citizenMessage } from '#shared/notifications.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { StoredEvents } from './adapters/stored-events.ts';
import { TableInbox } from './adapters/table-inbox.ts';
import { dossierEventConsumer } from './lib/consumer.ts';
import { dossierRepository } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

const inbox = new TableInbox(dynamo(), tableName());
const stored = new StoredEvents(dynamo(), tableName());

export const handler = dossierEventConsumer(
  'notifier',
  (ids) => dossierRepository().getMany(ids),
  async (d, events) => {
    if (!d) throw new Error(`dossier ${events[0]?.dossierId} not found`);
    for (const received of events) {
      const event = await stored.find(d.id, received.id);
      if (!event) {
        // Not written by a state change of this dossier: forged, or replayed after its outbox expired.
        logger.warn('event not stored with its dossier: ignored', { eventId: received.id, type: received.type });
        continue;
      }
      await notify(d, event);
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
  const sent = await inbox.send({
    eventId: event.id,
    dossierId: d.id,
    ward: d.ward,
    channel: 'sms',
    to: d.applicant.phone,
    audience: 'citizen',
    kind: msg.kind,
    text: msg.text,
    at,
  });
  if (d.applicant.email) {
    await inbox.send({
      eventId: event.id,
      dossierId: d.id,
      ward: d.ward,
      channel: 'email',
      to: d.applicant.email,
      audience: 'citizen',
      kind: msg.kind,
      text: msg.text,
      at,
    });
  }
  logger.info(sent ? 'notified' : 'already notified', { kind: msg.kind });
}
