/**
 * A sandbox National Public Service Portal (Cổng DVCQG) inside the local runtime: it speaks the
 * protocol the sync speaks to the real one (login for a session; DongBoHoSoMC, CapNhatTienDoHoSoMC,
 * TraCuuHoSo on one endpoint; `error_code: "00"` when accepted), keeps every record it accepted in
 * arrival order, and can be told to fail, so that anyone can watch the sync catch up:
 *
 * - `POST /local/sandbox/dvcqg/faults {downForS}`: every call answers 503 for that long;
 * - `{failOneIn: K}`: one call in K answers `error_code: "99"` (not taken);
 * - `{dropSession: true}`: forgets every session (the next call is refused with 401 until a login);
 * - `{delayMs}`: answers that late (past the client's timeout, the call is an unknown outcome);
 * - `{}`: back to normal. The answer shows the faults and the counters (logins, calls).
 *
 * What it checks: a known session, `madonvi`, a first DongBoHoSoMC with isUpdating "False" (a
 * second one is refused: the dossier exists), "True" only for a dossier it has, steps only for a
 * dossier it has. State is in memory, per process.
 */
import * as z from 'zod';
import type { HttpResult, RouteMap } from '#functions/lib/http.ts';
import { json } from '#functions/lib/http.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { RouteKeyOf } from '#wiring/manifest.ts';

/** The sandbox's credentials and unit code: the runtime's defaults for the DVCQG_* settings. */
export const SANDBOX_DVCQG = {
  username: 'motcua-local',
  password: 'local-dvcqg-password-for-development-only',
  unitCode: '000.00.00.H56',
} as const;

interface SandboxRecord {
  readonly service: 'DongBoHoSoMC' | 'CapNhatTienDoHoSoMC';
  readonly isUpdating?: string;
  readonly receivedAt: string;
  readonly record: Record<string, unknown>;
}

const state = {
  sessions: new Set<string>(),
  dossiers: new Map<string, SandboxRecord[]>(),
  downUntil: 0,
  failOneIn: 0,
  delayMs: 0,
  logins: 0,
  calls: 0,
  refused: 0,
};

const faultsSchema = z
  .object({
    downForS: z.number().min(0).max(86_400).optional(),
    failOneIn: z.number().int().min(0).max(1_000_000).optional(),
    dropSession: z.boolean().optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
  })
  .strict();

const answer = (status: number, body: Record<string, unknown>): HttpResult => json(status, body);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function summary() {
  const now = Date.now();
  return {
    down: now < state.downUntil,
    downForS: Math.max(0, Math.ceil((state.downUntil - now) / 1000)),
    failOneIn: state.failOneIn,
    delayMs: state.delayMs,
    logins: state.logins,
    calls: state.calls,
    refused: state.refused,
    dossiers: state.dossiers.size,
  };
}

/** The failures asked for, in order: down, late, one in K. Undefined when the call goes through. */
async function injected(): Promise<HttpResult | undefined> {
  if (Date.now() < state.downUntil) return answer(503, { error_code: '503', message: 'Hệ thống đang bảo trì' });
  if (state.delayMs) await sleep(state.delayMs);
  state.calls++;
  if (state.failOneIn > 0 && state.calls % state.failOneIn === 0) {
    state.refused++;
    return answer(200, { error_code: '99', message: 'Lỗi hệ thống, vui lòng thử lại' });
  }
  return undefined;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function accept(code: string, r: SandboxRecord): void {
  const list = state.dossiers.get(code) ?? [];
  list.push(r);
  state.dossiers.set(code, list);
}

function sync(body: Record<string, unknown>): HttpResult {
  const service = text(body.service);
  const refuse = (code: string, message: string) => {
    state.refused++;
    return answer(200, { error_code: code, message });
  };
  if (text(body.madonvi) !== (process.env.DVCQG_UNIT_CODE ?? SANDBOX_DVCQG.unitCode)) {
    return refuse('03', 'Mã đơn vị không hợp lệ');
  }
  if (service === 'TraCuuHoSo') {
    const list = state.dossiers.get(text(body.mahoso)) ?? [];
    const last = [...list].reverse().find((x) => x.service === 'DongBoHoSoMC');
    return answer(200, { error_code: '00', result: last ? [last.record] : [] });
  }
  const data = Array.isArray(body.data) ? (body.data as unknown[]) : [];
  const records = data.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  if (!records.length || records.some((r) => !text(r.MaHoSo))) return refuse('02', 'Thiếu dữ liệu hồ sơ (MaHoSo)');
  const at = new Date().toISOString();
  if (service === 'DongBoHoSoMC') {
    const updating = text(body.isUpdating);
    if (updating !== 'True' && updating !== 'False') return refuse('02', 'isUpdating phải là "True" hoặc "False"');
    for (const r of records) {
      const known = state.dossiers.has(text(r.MaHoSo));
      if (updating === 'False' && known) return refuse('01', `Hồ sơ ${text(r.MaHoSo)} đã tồn tại`);
      if (updating === 'True' && !known) return refuse('04', `Không tìm thấy hồ sơ ${text(r.MaHoSo)}`);
      if (!text(r.TrangThaiHoSo)) return refuse('02', 'Thiếu TrangThaiHoSo');
    }
    for (const r of records) accept(text(r.MaHoSo), { service, isUpdating: updating, receivedAt: at, record: r });
    return answer(200, { error_code: '00', message: 'Thành công' });
  }
  if (service === 'CapNhatTienDoHoSoMC') {
    for (const r of records) {
      if (!state.dossiers.has(text(r.MaHoSo))) return refuse('04', `Không tìm thấy hồ sơ ${text(r.MaHoSo)}`);
    }
    for (const r of records) accept(text(r.MaHoSo), { service, receivedAt: at, record: r });
    return answer(200, { error_code: '00', message: 'Thành công' });
  }
  return refuse('05', `Dịch vụ "${service}" không được hỗ trợ`);
}

const asObject = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function sandboxDvcqgRoutes(): RouteMap<
  Extract<RouteKeyOf<'local'>, `${string} /local/sandbox/dvcqg/${string}`>
> {
  return {
    'POST /local/sandbox/dvcqg/auth': async ({ body }) => {
      const failed = await injected();
      if (failed) return failed;
      const b = asObject(body);
      const username = process.env.DVCQG_USERNAME ?? SANDBOX_DVCQG.username;
      const password = process.env.DVCQG_PASSWORD ?? SANDBOX_DVCQG.password;
      if (text(b.username) !== username || text(b.password) !== password) {
        return answer(200, { error_code: 1, message: 'Sai tên đăng nhập hoặc mật khẩu' });
      }
      state.logins++;
      const session = crypto.randomUUID();
      state.sessions.add(session);
      return answer(200, { session, error_code: 0 });
    },
    'POST /local/sandbox/dvcqg/sync': async ({ body }) => {
      const failed = await injected();
      if (failed) return failed;
      const b = asObject(body);
      if (!state.sessions.has(text(b.session))) {
        state.refused++;
        return answer(401, { error_code: '401', message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn' });
      }
      return sync(b);
    },
    'GET /local/sandbox/dvcqg/dossiers/{code}': async ({ params }) => {
      const code = params.code;
      const records = state.dossiers.get(code);
      if (!records) {
        throw new NotFoundError('Hồ sơ', 'NOT_RECEIVED', `Cổng thử nghiệm chưa nhận hồ sơ ${code}.`);
      }
      return json(200, { code, records });
    },
    'POST /local/sandbox/dvcqg/faults': async ({ body }) => {
      const f = faultsSchema.parse(body ?? {});
      const none = Object.keys(f).length === 0;
      if (none || f.downForS !== undefined) state.downUntil = f.downForS ? Date.now() + f.downForS * 1000 : 0;
      if (none || f.failOneIn !== undefined) state.failOneIn = f.failOneIn ?? 0;
      if (none || f.delayMs !== undefined) state.delayMs = f.delayMs ?? 0;
      if (f.dropSession) state.sessions.clear();
      return json(200, summary());
    },
  };
}
