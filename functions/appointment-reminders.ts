/** Scheduled: the reminder the day before a booked slot (an AppointmentReminderDue event through the outbox). */
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { sendReminders } from '#shared/use-cases/appointment-reminders.ts';
import { appointmentDeps } from './lib/deps.ts';
import { logger } from './lib/powertools.ts';

export const handler = middy<ScheduledEvent, { date: string | null; reminded: number }>().handler(async () => {
  const result = await sendReminders(appointmentDeps());
  logger.info('appointment reminders', result);
  return result;
});
