/** OpenAPI entries of the appointment routes (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { bookSchema, settingsQuerySchema, settingsSchema, slotsQuerySchema } from '#shared/use-cases/appointments.ts';
import type { RouteDocs } from './route-doc.ts';

const slotsSchema = z
  .object({
    ward: z.string(),
    point: z.string(),
    date: z.string(),
    slotMinutes: z.number().int(),
    items: z.array(
      z.object({
        start: z.string().openapi({ example: '2026-06-10T00:30:00.000Z' }),
        end: z.string(),
        label: z.string().openapi({ description: 'Local time', example: '07:30-08:00' }),
        capacity: z.number().int(),
        available: z.number().int().openapi({ description: '0 once the slot has started' }),
      }),
    ),
  })
  .openapi('AppointmentSlots');

const appointmentSchema = z
  .object({
    id: z.string(),
    code: z.string().openapi({ description: 'Booking code for the kiosk', example: 'K7M2QX9P' }),
    ward: z.string(),
    point: z.string(),
    pointName: z.string(),
    date: z.string().openapi({ example: '2026-06-10' }),
    start: z.string(),
    end: z.string(),
    status: z.enum(['booked', 'cancelled', 'checked-in']),
    procedureId: z.string().optional(),
    ticketDisplay: z.string().optional().openapi({ description: 'The priority number it gave (checked-in)' }),
  })
  .openapi('Appointment');

const settingsViewSchema = z
  .object({
    ward: z.string(),
    point: z.string(),
    capacity: z.number().int(),
    defaultCapacity: z.boolean().openapi({ description: 'true: one booking per counter of the point' }),
    counters: z.number().int(),
    slotMinutes: z.number().int(),
    version: z.number().int(),
  })
  .openapi('AppointmentCapacity');

export const appointmentsDocs = {
  'GET /v1/appointments/slots': {
    summary:
      "The slots of a receiving point's date (working hours of the ward's calendar; none on weekends, holidays and " +
      'days off; swapped working Saturdays have them), with capacity and places left. 404 POINT_NOT_FOUND.',
    query: slotsQuerySchema,
    response: slotsSchema,
  },
  'POST /v1/appointments': {
    summary:
      'Book a slot (`start` as the slots route gives it). 409 SLOT_FULL, 409 ALREADY_BOOKED (one booking per ' +
      'citizen and slot), 422 NO_SUCH_SLOT / SLOT_PASSED / BOOKING_TOO_FAR / UNKNOWN_POINT. Optional phone/email ' +
      'receive the reminder the day before (the portal inbox always does).',
    body: bookSchema,
    response: appointmentSchema,
    status: 201,
  },
  'GET /v1/appointments': {
    summary: "The citizen's own appointments, latest first",
    response: z.object({ items: z.array(appointmentSchema) }),
  },
  'DELETE /v1/appointments/{appointmentId}': {
    summary:
      'The owner cancels before the slot starts; the place is freed. 409 SLOT_PASSED (a no-show frees nothing), ' +
      "ALREADY_CANCELLED, APPOINTMENT_USED; 404 for someone else's.",
    response: appointmentSchema,
  },
  'GET /v1/admin/appointments/capacity': {
    summary: "Booking settings of one of the admin's receiving points",
    query: settingsQuerySchema,
    response: settingsViewSchema,
  },
  'PUT /v1/admin/appointments/capacity': {
    summary:
      'Set the capacity per slot of a point (`null`: one per counter, the default; 0 closes booking) and the slot ' +
      'length (409 SLOTS_BOOKED while future slots hold bookings).',
    body: settingsSchema,
    response: settingsViewSchema,
  },
} satisfies RouteDocs<'appointments'>;
