/** Appointments (đặt lịch hẹn): public slots, a citizen books, lists and cancels; the admin sets capacity. */
import type { Principal } from '#shared/auth.ts';
import { ForbiddenError } from '#shared/errors.ts';
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
import { httpApi, json } from './lib/http.ts';

/** An administrator without a ward is refused before the request is even read. */
const admin = (p: Principal): Principal => {
  if (!p.ward) throw new ForbiddenError('Cán bộ chưa được gán cho phường/xã nào.', 'NO_WARD');
  return p;
};

export const handler = httpApi('appointments', {
  'GET /v1/appointments/slots': async (req) =>
    json(200, await listSlots(appointmentDeps(), slotsQuerySchema.parse(req.query))),
  'POST /v1/appointments': async (req) =>
    json(201, await bookAppointment(appointmentDeps(), req.principal, bookSchema.parse(req.body))),
  'GET /v1/appointments': async (req) => json(200, await myAppointments(appointmentDeps(), req.principal)),
  'DELETE /v1/appointments/{appointmentId}': async (req) => {
    return json(200, await cancelOwnAppointment(appointmentDeps(), req.principal, req.params.appointmentId));
  },
  'GET /v1/admin/appointments/capacity': async (req) => {
    const p = admin(req.principal);
    return json(200, await getSettings(appointmentDeps(), p, settingsQuerySchema.parse(req.query).point));
  },
  'PUT /v1/admin/appointments/capacity': async (req) => {
    const p = admin(req.principal);
    return json(200, await setSettings(appointmentDeps(), p, settingsSchema.parse(req.body)));
  },
});
