/** The notifier's part for appointments: the reminder the day before, in the portal inbox and by SMS / e-mail. */
import { reminderText } from '#shared/appointments.ts';
import type { DomainEvent } from '#shared/events.ts';
import type { ChannelName, NotificationChannel } from '#shared/notifications.ts';

/** Sends the reminder once per channel (the inbox deduplicates by event id); the subject id is the appointment's. */
export async function remindAppointment(
  inbox: NotificationChannel,
  event: DomainEvent<'AppointmentReminderDue'>,
): Promise<void> {
  const text = reminderText(event.data);
  const targets: [ChannelName, string | undefined][] = [
    ['app', event.data.sub],
    ['sms', event.data.phone],
    ['email', event.data.email],
  ];
  for (const [channel, to] of targets) {
    if (!to) continue;
    await inbox.send({
      eventId: event.id,
      dossierId: event.dossierId,
      ward: event.ward,
      channel,
      to,
      audience: 'citizen',
      kind: 'appointment-reminder',
      text,
      at: new Date().toISOString(),
    });
  }
}
