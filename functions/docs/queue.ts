/** OpenAPI entries of the queue routes (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { COUNTER_ACTIONS, TICKET_STATES } from '#shared/queue.ts';
import { ticketRequestSchema } from '#shared/use-cases/appointments.ts';
import { boardQuerySchema, nextSchema } from '#shared/use-cases/queue.ts';
import type { RouteDocs } from './route-doc.ts';

const issuedSchema = z
  .object({
    ticketId: z.string().openapi({ example: 'bimson.badinh.20260609.hotich.12' }),
    number: z.number().int().openapi({ example: 12 }),
    display: z.string().openapi({ example: 'A012' }),
    point: z.string(),
    pointName: z.string(),
    group: z.string(),
    groupName: z.string(),
    day: z.string().openapi({ description: 'Queue day, YYYYMMDD in Asia/Ho_Chi_Minh', example: '20260609' }),
    issuedAt: z.string(),
    waitingAhead: z.number().int().openapi({ description: 'Tickets of the same group waiting before this one' }),
    priority: z.literal(true).optional().openapi({ description: 'A priority number (UT…) taken with a booking code' }),
    appointmentCode: z.string().optional(),
    slotStart: z.string().optional(),
  })
  .openapi('QueueTicketIssued');

const ticketSchema = z
  .object({
    ticketId: z.string(),
    point: z.string(),
    day: z.string(),
    group: z.string(),
    groupName: z.string(),
    prefix: z.string(),
    number: z.number().int(),
    display: z.string(),
    state: z.enum(TICKET_STATES),
    issuedAt: z.string(),
    calledAt: z.string().optional(),
    lastCalledAt: z.string().optional(),
    recalls: z.number().int(),
    counterId: z.string().optional(),
    calledBy: z.string().optional(),
    servedAt: z.string().optional(),
    skippedAt: z.string().optional(),
    endedAt: z.string().optional(),
    waitingMs: z.number().int().optional().openapi({ description: 'From issue to the first call' }),
    servingMs: z.number().int().optional().openapi({ description: 'From the first call to served' }),
    priority: z.literal(true).optional().openapi({ description: 'A priority number taken with a booking code' }),
    appointmentId: z.string().optional(),
    slotStart: z.string().optional(),
  })
  .openapi('QueueTicket');

const servingSchema = z.object({
  priority: z.boolean().optional().openapi({ description: 'A priority number (booked appointment)' }),
  ticketId: z.string().optional(),
  display: z.string(),
  group: z.string(),
  calledAt: z.string(),
  lastCalledAt: z.string(),
  recalls: z.number().int(),
});

const lastCalledSchema = z.object({
  priority: z.boolean().optional(),
  ticketId: z.string().optional(),
  display: z.string(),
  group: z.string(),
  at: z.string(),
  outcome: z.enum(['served', 'skipped']).optional(),
});

const counterResultSchema = z
  .object({
    action: z.enum(COUNTER_ACTIONS),
    ticket: ticketSchema.nullable().openapi({ description: 'null when `next` found nobody waiting' }),
    counter: z.object({
      counterId: z.string(),
      point: z.string(),
      serving: servingSchema.nullable(),
      lastCalled: lastCalledSchema.nullable(),
    }),
  })
  .openapi('QueueCounterResult');

const boardSchema = z
  .object({
    ward: z.string(),
    point: z.string(),
    pointName: z.string(),
    day: z.string(),
    at: z.string(),
    counters: z.array(
      z.object({
        counterId: z.string(),
        serving: servingSchema.omit({ ticketId: true }).nullable(),
        lastCalled: lastCalledSchema.omit({ ticketId: true }).nullable(),
      }),
    ),
    waiting: z.array(
      z.object({ group: z.string(), groupName: z.string(), prefix: z.string(), count: z.number().int() }),
    ),
    priority: z
      .array(z.object({ display: z.string(), slotStart: z.string().optional(), priority: z.literal(true) }))
      .openapi({ description: 'Priority numbers waiting (booked appointments), in calling order' }),
    priorityPrefix: z.string().openapi({ example: 'UT' }),
    totalWaiting: z.number().int(),
    upcoming: z
      .array(z.object({ display: z.string(), group: z.string(), priority: z.literal(true).optional() }))
      .openapi({ description: 'The next waiting numbers, in the order the counters will call them' }),
  })
  .openapi('QueueBoard');

export const queueDocs = {
  'POST /v1/queue/tickets': {
    summary:
      "A kiosk of the ward takes a number (cấp số) for a service group at one of its ward's receiving points. " +
      'Numbers restart every day per point and group. 403 OTHER_WARD, 422 UNKNOWN_POINT / UNKNOWN_GROUP. ' +
      'With `{ point, appointmentCode }`: a priority number (UT001…, `priority: true`) for a booking of that point ' +
      'and day, once (404 APPOINTMENT_NOT_FOUND, 422 WRONG_POINT / WRONG_DAY, 409 APPOINTMENT_USED / ' +
      'APPOINTMENT_CANCELLED).',
    body: ticketRequestSchema,
    response: issuedSchema,
    status: 201,
  },
  'POST /v1/queue/counters/{counterId}/{action}': {
    summary:
      '{action} is next | recall | skip | finish. `next` calls the oldest waiting ticket of the point (body ' +
      '`{ groups? }` narrows the groups; 409 COUNTER_BUSY while the counter serves one; `ticket: null` when nobody ' +
      'waits). `recall` announces again, `skip` marks a no-show, `finish` marks served; both free the counter ' +
      '(409 COUNTER_IDLE when it serves nothing). 404 COUNTER_NOT_FOUND for a counter outside the ward.',
    body: nextSchema,
    response: counterResultSchema,
  },
  'GET /v1/queue/board': {
    summary: 'Status board of a receiving point: what each counter serves and last called, waiting per group',
    query: boardQuerySchema,
    response: boardSchema,
  },
} satisfies RouteDocs<'queue'>;
