/** Indicators for a period (Decision 766): JSON or CSV for leaders, and the public figures. */
import * as z from 'zod';
import { vnDayStart } from '#shared/vn-time.ts';
import '#shared/api/zod.ts';
import { visitIndicators } from '#shared/appointments.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { computeReport, judgedAt, reportCsv } from '#shared/indicators.ts';
import { residentialGroupCsv, residentialGroupRows } from '#shared/residential-report.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { DynamoFacts } from './adapters/dynamo-facts.ts';
import { DynamoQueueStats } from './adapters/queue-stats.ts';
import { dossierDeps, wardDirectory } from './lib/deps.ts';
import { csvAttachment, type HttpResult, httpApi, json } from './lib/http.ts';

const facts = new DynamoFacts(dynamo(), tableName());
const queueStats = new DynamoQueueStats(dynamo(), tableName());

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const reportQuery = z.object({
  from: day,
  to: day,
  procedureId: z.string().max(80).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  /** `residentialGroup` adds the rows per residential group (tổ dân phố); the CSV is then those rows. */
  by: z.enum(['residentialGroup']).optional(),
});

/** [from 00:00, to 24:00) in Asia/Ho_Chi_Minh, as UTC ISO strings. */
export function period(from: string, to: string): { fromIso: string; toIso: string } {
  const a = vnDayStart(from);
  const b = vnDayStart(to) + 24 * 3600_000;
  if (Number.isNaN(a) || Number.isNaN(b) || b <= a || b - a > 400 * 24 * 3600_000) {
    throw new ValidationError('Khoảng thời gian không hợp lệ (tối đa 400 ngày).', undefined, 'INVALID_PERIOD');
  }
  return { fromIso: new Date(a).toISOString(), toIso: new Date(b - 1).toISOString() };
}

async function report(ward: string, q: z.infer<typeof reportQuery>): Promise<HttpResult> {
  const { fromIso, toIso } = period(q.from, q.to);
  const deps = dossierDeps();
  const rows = await facts.received(ward, fromIso, toIso, q.procedureId);
  // Judged at the period's end, or now while the period runs: a report asked later says the same.
  const asOf = judgedAt(new Date(toIso), deps.clock.now());
  const r = {
    ...computeReport(
      rows,
      { ward, from: q.from, to: q.to, ...(q.procedureId ? { procedureId: q.procedureId } : {}) },
      asOf,
      await deps.calendars.get(ward),
    ),
    // Visitors at the kiosks, with and without a booking (ward-wide: tickets carry no procedure).
    ...visitIndicators(await queueStats.days(ward, q.from.replace(/-/g, ''), q.to.replace(/-/g, ''))),
  };
  if (q.by === 'residentialGroup') {
    const ward = await wardDirectory().get(r.ward);
    const residentialGroups = residentialGroupRows(rows, ward?.residentialGroups ?? []);
    if (q.format === 'csv') {
      return csvAttachment(
        residentialGroupCsv(residentialGroups),
        `bao-cao-to-dan-pho-${r.ward}-${q.from}-${q.to}.csv`,
      );
    }
    return json(200, { ...r, residentialGroups });
  }
  if (q.format === 'csv') {
    return csvAttachment(reportCsv(r), `bao-cao-${ward}-${q.from}-${q.to}.csv`);
  }
  return json(200, r);
}

export const handler = httpApi('reports', {
  'GET /v1/reports': async ({ principal, query }) => {
    if (!principal.ward) throw new ForbiddenError();
    return report(principal.ward, reportQuery.parse(query));
  },
  'GET /v1/reports/public': async ({ query }) => {
    const ward = query.ward ?? '';
    if (!(await wardDirectory().get(ward))) throw new NotFoundError('Phường/xã', 'WARD_NOT_FOUND');
    // The figures by residential group are the ward's (leader, admin), not the public's.
    const { by: _by, ...q } = reportQuery.parse(query);
    return report(ward, q);
  },
});
