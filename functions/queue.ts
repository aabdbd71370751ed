/** Queue routes (cấp số thứ tự): a kiosk takes a number, a counter calls it, the public board. */
import { slug } from '#shared/api/zod.ts';
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
import { type HttpRequest, httpApi, json } from './lib/http.ts';

const principal = (req: HttpRequest) => {
  if (!req.principal) throw new Error('route without a principal');
  return req.principal;
};

export const handler = httpApi({
  'POST /v1/queue/tickets': async (req) => {
    // `{ point, appointmentCode }` is a booked citizen's priority number (shared/use-cases/appointments.ts).
    const input = ticketRequestSchema.parse(req.body);
    if ('appointmentCode' in input) {
      return json(201, await takePriorityTicket(appointmentDeps(), principal(req), input));
    }
    return json(201, await takeTicket(queueDeps(), principal(req), input));
  },
  'POST /v1/queue/counters/{counterId}/{action}': async (req) => {
    const action = req.params.action;
    if (!isCounterAction(action)) throw new NotFoundError('Thao tác', 'ACTION_NOT_FOUND');
    const counterId = slug.safeParse(req.params.counterId);
    if (!counterId.success) throw new NotFoundError('Quầy', 'COUNTER_NOT_FOUND');
    // An empty body is an empty object; `next` may narrow the groups it calls from.
    const body = req.body ?? {};
    let input: NextInput = {};
    if (action === 'next') input = nextSchema.parse(body);
    else emptyActionSchema.parse(body);
    return json(200, await runCounter(queueDeps(), principal(req), counterId.data, action, input));
  },
  'GET /v1/queue/board': async (req) => json(200, await queueBoard(queueDeps(), boardQuerySchema.parse(req.query))),
});
