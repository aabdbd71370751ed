/** Appointments (đặt lịch hẹn): public slots, a citizen books, lists and cancels; the admin sets capacity. */
import { slug } from '#shared/api/zod.ts';
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import {
  bookAppointment,
  bookSchema,
  cancelOwnAppointment,
  getSettings,
  listSlots,
  myAppointments,
  setSettings,
  settingsQuerySchema,
  settingsSchema,
  slotsQuerySchema,
} from '#shared/use-cases/appointments.ts';
import { appointmentDeps } from './lib/deps.ts';
import { type HttpRequest, httpApi, json } from './lib/http.ts';

const principal = (req: HttpRequest) => {
  if (!req.principal) throw new Error('route without a principal');
  return req.principal;
};

/** An administrator without a ward is refused before the request is even read. */
const admin = (req: HttpRequest) => {
  const p = principal(req);
  if (!p.ward) throw new ForbiddenError('Cán bộ chưa được gán cho phường/xã nào.', 'NO_WARD');
  return p;
};

export const handler = httpApi({
  'GET /v1/appointments/slots': async (req) =>
    json(200, await listSlots(appointmentDeps(), slotsQuerySchema.parse(req.query))),
  'POST /v1/appointments': async (req) =>
    json(201, await bookAppointment(appointmentDeps(), principal(req), bookSchema.parse(req.body))),
  'GET /v1/appointments': async (req) => json(200, await myAppointments(appointmentDeps(), principal(req))),
  'DELETE /v1/appointments/{appointmentId}': async (req) => {
    const id = slug.safeParse(req.params.appointmentId);
    if (!id.success) throw new NotFoundError('Lịch hẹn', 'APPOINTMENT_NOT_FOUND');
    return json(200, await cancelOwnAppointment(appointmentDeps(), principal(req), id.data));
  },
  'GET /v1/admin/appointments/capacity': async (req) => {
    const p = admin(req);
    return json(200, await getSettings(appointmentDeps(), p, settingsQuerySchema.parse(req.query).point));
  },
  'PUT /v1/admin/appointments/capacity': async (req) => {
    const p = admin(req);
    return json(200, await setSettings(appointmentDeps(), p, settingsSchema.parse(req.body)));
  },
});
