/** The appointments' adapters, built once per process (functions/appointments.ts, the kiosk route, reminders). */
import * as z from 'zod';
import type { AppointmentDeps } from '#shared/use-cases/appointments.ts';
import { priorityTicketSchema } from '#shared/use-cases/appointments.ts';
import { takeTicketSchema } from '#shared/use-cases/queue.ts';
import { dynamo, tableName } from '../adapters/clients.ts';
import { DynamoAppointmentRepository } from '../adapters/dynamo-appointments.ts';
import { DynamoQueueRepository } from '../adapters/dynamo-queue.ts';
import { dossierDeps, wardDirectory } from './deps.ts';

let deps: AppointmentDeps | undefined;

export function appointmentDeps(): AppointmentDeps {
  const d = dossierDeps();
  deps ??= {
    appointments: new DynamoAppointmentRepository(dynamo(), tableName()),
    calendars: d.calendars,
    catalog: d.catalog,
    queue: new DynamoQueueRepository(dynamo(), tableName()),
    clock: d.clock,
    wards: wardDirectory(),
  };
  return deps;
}

/** The kiosk's body: a group's number, or a priority number for a booking code. */
export const ticketRequestSchema = z.union([takeTicketSchema, priorityTicketSchema]);
