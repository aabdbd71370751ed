/** Sends the citizen a Vietnamese message per status change (and the apology when overdue). */
import type { Dossier } from '#shared/dossier.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import { citizenMessage } from '#shared/notifications.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { TableInbox } from './adapters/table-inbox.ts';
import { remindAppointment } from './lib/appointment-reminder.ts';
import { dossierEventConsumer } from './lib/consumer.ts';
import { dossierRepository } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

const inbox = new TableInbox(dynamo(), tableName());

export const handler = dossierEventConsumer(
  'notifier',
  (ids) => dossierRepository().getMany(ids),
  async (d, events) => {
    for (const event of events) {
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
