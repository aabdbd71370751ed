/**
 * The public HTML pages (trang công khai), served by the backend itself so that they run in the
 * cloud and locally alike: a procedure's page (what the posted QR opens), a dossier's status page
 * (what the receipt's QR opens), the number board of a receiving point and the ward's
 * transparency page. Rendering is shared/pages/*; the data comes through the same use cases and
 * adapters as the JSON routes.
 */
import { $ZodError } from 'zod/v4/core';
import type { Procedure } from '#shared/catalog.ts';
import { AppError, NotFoundError, TooManyRequestsError, ValidationError } from '#shared/errors.ts';
import { qrSvg } from '#shared/forms/qr.ts';
import { computeReport, type DossierFact, judgedAt } from '#shared/indicators.ts';
import { BOARD_SCRIPT, boardPage } from '#shared/pages/board-page.ts';
import { trustedHtml } from '#shared/pages/html.ts';
import { messagePage } from '#shared/pages/layout.ts';
import { procedurePage } from '#shared/pages/procedure-page.ts';
import { statusPage, wardOfCode } from '#shared/pages/status-page.ts';
import { transparencyCsv, transparencyPage } from '#shared/pages/transparency-page.ts';
import { findPoint } from '#shared/queue.ts';
import { publicProgress } from '#shared/use-cases/public-progress.ts';
import { queueBoard } from '#shared/use-cases/queue.ts';
import { period } from '#shared/use-cases/reports.ts';
import { vnClock, vnDate } from '#shared/vn-time.ts';
import { clientIp } from './lib/client-ip.ts';
import { procedureLink, publicBaseUrl } from './lib/config.ts';
import { dossierDeps, facts, lookupGuard, queueRepository, wardDirectory } from './lib/deps.ts';
import { type HttpRequest, type HttpResult, httpApi } from './lib/http.ts';
import { CACHE, htmlPage, pageHeaders } from './lib/page-headers.ts';

const SITE = 'Trung tâm Phục vụ hành chính công';

/**
 * Whether the client reads HTML (a browser says so in Accept). Others (scripts, monitors, our
 * trust tests) get the API's JSON error shape for a 4xx, like every other route.
 */
const wantsHtml = (req: HttpRequest): boolean => /text\/html/i.test(req.headers.accept ?? '');

/**
 * For a browser, our typed 4xx errors become a short Vietnamese page with the same status; a path
 * parameter that fails its rule (functions/lib/path-params.ts) too.
 */
const pageError = (e: unknown, req: HttpRequest): HttpResult | undefined => {
  if (!wantsHtml(req)) return undefined;
  if (e instanceof AppError && e.status < 500) {
    return htmlPage(e.status, messagePage('Không tìm thấy trang', e.message, SITE), CACHE.none);
  }
  if (e instanceof $ZodError) {
    return htmlPage(400, messagePage('Yêu cầu không hợp lệ', 'Địa chỉ trang không hợp lệ.', SITE), CACHE.none);
  }
  return undefined;
};

const wardOf = async (id: string) => {
  const w = await wardDirectory().get(id);
  if (!w) throw new NotFoundError('Phường/xã', 'WARD_NOT_FOUND');
  return w;
};

/** `id` is well-formed (functions/lib/path-params.ts). */
async function procedureOf(ward: string, id: string): Promise<Procedure> {
  const p = await dossierDeps().catalog.get(id);
  if (!p || p.ward !== ward || p.active === false) throw new NotFoundError('Thủ tục', 'PROCEDURE_NOT_FOUND');
  return p;
}

/** Today and the first day of the month five months before, in Vietnam: the default period. */
function defaultPeriod(now: Date): { from: string; to: string } {
  const local = vnClock(now);
  const start = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 5, 1));
  return { from: start.toISOString().slice(0, 10), to: local.toISOString().slice(0, 10) };
}

/** The months (YYYY-MM) that [from, to] touches, each with its part of the period. */
function monthsOf(from: string, to: string): { month: string; from: string; to: string }[] {
  const out: { month: string; from: string; to: string }[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to.slice(0, 7)) break;
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    out.push({ month, from: month === from.slice(0, 7) ? from : `${month}-01`, to: last < to ? last : to });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

const monthOfFact = (f: DossierFact): string => vnDate(f.submittedAt).slice(0, 7);

async function procedureNames(ward: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const pageOf = await dossierDeps().catalog.listByWard(ward, { limit: 200, ...(cursor ? { cursor } : {}) });
    for (const p of pageOf.items) names.set(p.id, p.name);
    cursor = pageOf.next;
  } while (cursor);
  return names;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const handler = httpApi(
  'pages',
  {
    'GET /p/{ward}/thu-tuc/{procedureId}': async ({ params }) => {
      const ward = await wardOf(params.ward);
      const p = await procedureOf(ward.id, params.procedureId);
      const svg = await qrSvg(procedureLink(p));
      const qr = trustedHtml(svg.replace('<svg ', '<svg role="img" aria-label="Mã QR mở trang thủ tục này" '));
      const pageUrl = `${publicBaseUrl()}/p/${encodeURIComponent(ward.id)}/thu-tuc/${encodeURIComponent(p.id)}`;
      return htmlPage(200, procedurePage({ procedure: p, ward, qr, pageUrl }), CACHE.public);
    },

    'GET /p/tra-cuu/{dossierCode}': async (req) => {
      const { params, query } = req;
      const code = params.dossierCode.slice(0, 60);
      const ward = wardOfCode(code, await wardDirectory().list());
      const base = { code, ...(ward ? { ward } : {}) };
      if (query.phone === undefined) return htmlPage(200, statusPage({ ...base, kind: 'ask' }), CACHE.none);
      const { dossiers, clock } = dossierDeps();
      try {
        const progress = await publicProgress(
          { dossiers, guard: lookupGuard(), clock },
          code,
          query.phone.trim(),
          clientIp(req.sourceIp, req.headers),
        );
        return htmlPage(200, statusPage({ ...base, kind: 'found', progress }), CACHE.none);
      } catch (e) {
        if (!wantsHtml(req)) throw e;
        if (e instanceof TooManyRequestsError) {
          return htmlPage(429, statusPage({ ...base, kind: 'locked', message: e.message }), CACHE.none);
        }
        if (e instanceof NotFoundError) {
          const message = 'Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này. Hãy kiểm tra lại giấy tiếp nhận.';
          return htmlPage(404, statusPage({ ...base, kind: 'not-found', message }), CACHE.none);
        }
        throw e;
      }
    },

    'GET /p/{ward}/bang-goi-so/{point}': async ({ params }) => {
      const w = await wardDirectory().get(params.ward);
      const found = w ? findPoint(w.id, params.point, [w]) : undefined;
      if (!found) throw new NotFoundError('Điểm tiếp nhận', 'POINT_NOT_FOUND');
      const board = await queueBoard(
        { queue: queueRepository(), clock: dossierDeps().clock, wards: wardDirectory() },
        { point: found.point.id, ward: found.ward.id },
      );
      return htmlPage(200, boardPage(found.ward, board), CACHE.none);
    },

    'GET /p/{ward}/cong-khai': async (req) => {
      const { params, query } = req;
      const ward = await wardOf(params.ward);
      const now = dossierDeps().clock.now();
      let { from, to } = defaultPeriod(now);
      let problem: string | undefined;
      if (query.from !== undefined || query.to !== undefined) {
        const f = query.from ?? '';
        const t = query.to ?? '';
        try {
          if (!DAY.test(f) || !DAY.test(t)) throw new Error('format');
          period(f, t);
          from = f;
          to = t;
        } catch {
          problem = 'Kỳ báo cáo không hợp lệ: “đến ngày” phải sau “từ ngày” và kỳ không quá 400 ngày.';
          if (!wantsHtml(req) || query.format === 'csv')
            throw new ValidationError(problem, undefined, 'INVALID_PERIOD');
          problem += ' Dưới đây là số liệu của kỳ mặc định.';
        }
      }
      const { fromIso, toIso } = period(from, to);
      const rows = await facts().received(ward.id, fromIso, toIso);
      // Each period is judged at its end (or now while it runs), as the report route judges it.
      const cal = await dossierDeps().calendars.get(ward.id);
      const asOf = judgedAt(new Date(toIso), now);
      const total = computeReport(rows, { ward: ward.id, from, to }, asOf, cal);
      const months = monthsOf(from, to).map((m) => ({
        month: m.month,
        report: computeReport(
          rows.filter((f) => monthOfFact(f) === m.month),
          { ward: ward.id, from: m.from, to: m.to },
          judgedAt(new Date(period(m.from, m.to).toIso), now),
          cal,
        ),
      }));
      const names = await procedureNames(ward.id);
      const byProcedure = new Map<string, DossierFact[]>();
      for (const f of rows) byProcedure.set(f.procedureId, [...(byProcedure.get(f.procedureId) ?? []), f]);
      const procedures = [...byProcedure.entries()]
        .map(([id, list]) => ({
          id,
          name: names.get(id) ?? id,
          report: computeReport(list, { ward: ward.id, from, to, procedureId: id }, asOf, cal),
        }))
        .sort((a, b) => b.report.received - a.report.received || a.name.localeCompare(b.name, 'vi'));
      const q = `from=${from}&to=${to}`;
      if (query.format === 'csv') {
        return {
          status: 200,
          raw: `\ufeff${transparencyCsv({ total, months, procedures })}`,
          headers: {
            ...pageHeaders({ cache: CACHE.public }, 'text/csv; charset=utf-8'),
            'content-disposition': `attachment; filename="cong-khai-${ward.id}-${from}-${to}.csv"`,
          },
        };
      }
      const input = {
        ward,
        from,
        to,
        total,
        months,
        procedures,
        csvTotal: `/v1/reports/public?ward=${encodeURIComponent(ward.id)}&${q}&format=csv`,
        csvDetail: `/p/${encodeURIComponent(ward.id)}/cong-khai?${q}&format=csv`,
        ...(problem ? { problem } : {}),
      };
      return htmlPage(problem ? 400 : 200, transparencyPage(input), problem ? CACHE.none : CACHE.public);
    },

    'GET /p/assets/{asset}': async ({ params }) => {
      if (params.asset !== 'bang-goi-so.js') throw new NotFoundError('Tệp', 'ASSET_NOT_FOUND');
      return {
        status: 200,
        raw: BOARD_SCRIPT,
        headers: pageHeaders({ cache: CACHE.asset }, 'text/javascript; charset=utf-8'),
      };
    },
  },
  pageError,
);
