/** Queue routes (cấp số thứ tự): a kiosk takes a number, a counter calls it, the public board. */
import { NotFoundError } from '#shared/errors.ts';
import { isCounterAction } from '#shared/queue.ts';
import { takePriorityTicket, ticketRequestSchema } from '#shared/use-cases/appointments.ts';
import {
  boardQuerySchema,
  emptyActionSchema,
  type NextInput,
  nextSchema,
  queueBoard,
  runCounter,
  takeTicket,
} from '#shared/use-cases/queue.ts';
import { appointmentDeps, queueDeps } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

export const handler = httpApi('queue', {
  'POST /v1/queue/tickets': async (req) => {
    // `{ point, appointmentCode }` is a booked citizen's priority number (shared/use-cases/appointments.ts).
    const input = ticketRequestSchema.parse(req.body);
    if ('appointmentCode' in input) {
      return json(201, await takePriorityTicket(appointmentDeps(), req.principal, input));
    }
    return json(201, await takeTicket(queueDeps(), req.principal, input));
  },
  'POST /v1/queue/counters/{counterId}/{action}': async (req) => {
    const action = req.params.action;
    if (!isCounterAction(action)) throw new NotFoundError('Thao tác', 'ACTION_NOT_FOUND');
    // An empty body is an empty object; `next` may narrow the groups it calls from.
    const body = req.body ?? {};
    let input: NextInput = {};
    if (action === 'next') input = nextSchema.parse(body);
    else emptyActionSchema.parse(body);
    return json(200, await runCounter(queueDeps(), req.principal, req.params.counterId, action, input));
  },
  'GET /v1/queue/board': async (req) => json(200, await queueBoard(queueDeps(), boardQuerySchema.parse(req.query))),
});
