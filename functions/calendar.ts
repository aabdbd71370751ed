/** The working calendar: admin reads/writes a year; the public deadline arithmetic route. */
import * as z from 'zod';
import type { Principal } from '#shared/auth.ts';
import { addWorkingHours, MAX_WORKING_HOURS, yearTable } from '#shared/calendar.ts';
import { isProvisional, localYear, yearProvenance } from '#shared/calendar-provenance.ts';
import { calendarYearSchemaFor } from '#shared/calendar-schema.ts';
import { ForbiddenError, NotFoundError, UnprocessableError } from '#shared/errors.ts';
import { dossierDeps, wardDirectory } from './lib/deps.ts';
import { httpApi, json } from './lib/http.ts';

const addQuery = z.object({
  from: z.iso.datetime({ offset: true }),
  hours: z.coerce.number().min(0).max(MAX_WORKING_HOURS),
});

function adminWard(p: Principal): string {
  if (!p.ward) throw new ForbiddenError();
  return p.ward;
}

export const handler = httpApi('calendar', {
  'GET /v1/calendar/{ward}/add': async (req) => {
    const ward = req.params.ward;
    if (!(await wardDirectory().get(ward))) throw new NotFoundError('Phường/xã', 'WARD_NOT_FOUND');
    const q = addQuery.parse(req.query);
    const cal = await dossierDeps().calendars.get(ward);
    let due: Date;
    try {
      due = addWorkingHours(cal, new Date(q.from), q.hours);
    } catch (e) {
      // The calendar knows the years 2020-2060 (lunar holidays) and those an administrator set.
      if (e instanceof RangeError)
        throw new UnprocessableError('OUT_OF_CALENDAR', 'Thời điểm nằm ngoài lịch làm việc đã biết.');
      throw e;
    }
    const { provenance } = yearProvenance(cal, localYear(due));
    return json(200, {
      from: new Date(q.from).toISOString(),
      hours: q.hours,
      due: due.toISOString(),
      // A due date in a year not yet announced is provisional: the announced schedule may move it.
      provenance,
      provisional: isProvisional(cal, due),
    });
  },
  'GET /v1/admin/calendar/{year}': async (req) => {
    const year = Number(req.params.year); // a year the calendar knows (functions/lib/path-params.ts)
    const cal = await dossierDeps().calendars.get(adminWard(req.principal));
    const table = yearTable(cal, year);
    return json(200, {
      year,
      timeZone: cal.timeZone,
      hours: table.hours ?? cal.hours,
      holidays: table.holidays,
      workingDays: table.workingDays,
      provenance: yearProvenance(cal, year).provenance,
      ...(yearProvenance(cal, year).decision ? { decision: yearProvenance(cal, year).decision } : {}),
    });
  },
  'PUT /v1/admin/calendar/{year}': async (req) => {
    const year = Number(req.params.year);
    const cfg = calendarYearSchemaFor(year).parse(req.body);
    const ward = adminWard(req.principal);
    await dossierDeps().calendars.putYear(ward, year, cfg);
    return json(200, { year, ...cfg });
  },
});
