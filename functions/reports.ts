/** Indicators for a period (Decision 766): JSON or CSV for leaders, and the public figures. */
import * as z from 'zod';
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { reportCsv } from '#shared/indicators.ts';
import { residentialGroupCsv } from '#shared/residential-report.ts';
import { periodReport } from '#shared/use-cases/reports.ts';
import { dossierDeps, facts, queueStats, wardDirectory } from './lib/deps.ts';
import { csvAttachment, type HttpResult, httpApi, json } from './lib/http.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const reportQuery = z.object({
  from: day,
  to: day,
  procedureId: z.string().max(80).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  /** `residentialGroup` adds the rows per residential group (tổ dân phố); the CSV is then those rows. */
  by: z.enum(['residentialGroup']).optional(),
});

async function report(ward: string, q: z.infer<typeof reportQuery>): Promise<HttpResult> {
  const deps = dossierDeps();
  const { report: r, residentialGroups } = await periodReport(
    { facts: facts(), queueStats: queueStats(), calendars: deps.calendars, clock: deps.clock, wards: wardDirectory() },
    ward,
    q,
  );
  if (residentialGroups) {
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
