/** The portal client over real HTTP, against a small portal in this file: sessions, refusals, timeouts. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DvcqgSettings, HttpPortalClient, parseDvcqgSettings } from '#functions/adapters/dvcqg-http.ts';
import { freePort } from '#local/servers.ts';
import type { DossierRecord } from '#shared/dvcqg/payload.ts';
import { PortalCallError, PortalNotConfiguredError } from '#shared/errors.ts';

let server: Server;
let base = '';
const seen: { url: string; body: any }[] = [];
let logins = 0;
let sessions = new Set<string>();
/** What the next sync calls answer (status, body, delay); shifted per call, then 200 "00". */
let script: { status?: number; body?: unknown; delayMs?: number }[] = [];

/** What went wrong in the portal itself (none expected: checked after the run). */
const portalErrors: unknown[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    answer(req, res).catch((e: unknown) => {
      // The client gave up before its request had all arrived (a timeout on a busy machine): there
      // is no one to answer.
      if (!req.complete) return;
      portalErrors.push(e);
      res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  expect(portalErrors).toEqual([]);
});

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  seen.push({ url: req.url ?? '', body });
  const reply = (status: number, out: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  };
  if (req.url === '/auth') {
    logins++;
    const session = `s${logins}`;
    sessions.add(session);
    return reply(200, { session, error_code: 0 });
  }
  if (!sessions.has(body.session)) return reply(200, { error_code: '-1', message: 'Phiên hết hạn' });
  const next = script.shift();
  if (next?.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
  if (res.destroyed) return;
  return reply(next?.status ?? 200, next?.body ?? { error_code: '00', result: [] });
}
beforeEach(() => {
  seen.length = 0;
  logins = 0;
  sessions = new Set();
  script = [];
});

const settings = (over: Partial<DvcqgSettings> = {}): (() => Promise<DvcqgSettings>) => {
  const s: DvcqgSettings = {
    authUrl: `${base}/auth`,
    syncUrl: `${base}/sync`,
    username: 'u',
    password: 'p',
    unitCode: 'G22',
    // Generous: on a busy machine a prompt answer must not turn into a timeout.
    timeoutMs: 5_000,
    ...over,
  };
  return async () => s;
};
const record = { MaHoSo: 'H56.27.01-20260609-0001', TrangThaiHoSo: '2' } as unknown as DossierRecord;
const client = (over: Partial<DvcqgSettings> = {}) => new HttpPortalClient(settings(over), async () => undefined);
const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PortalCallError);
  return e as PortalCallError;
};

describe('Class: HttpPortalClient', () => {
  it('logs in once and reuses the session, sending session, madonvi, service and isUpdating', async () => {
    const c = client();
    await c.syncDossier(record, false);
    await c.syncDossier(record, true);
    await c.updateProgress({ MaHoSo: 'x' } as never);
    expect(logins).toBe(1);
    const calls = seen.filter((x) => x.url === '/sync').map((x) => x.body);
    expect(calls.map((b) => [b.session, b.madonvi, b.service, b.isUpdating])).toEqual([
      ['s1', 'G22', 'DongBoHoSoMC', 'False'],
      ['s1', 'G22', 'DongBoHoSoMC', 'True'],
      ['s1', 'G22', 'CapNhatTienDoHoSoMC', undefined],
    ]);
    expect(seen[0]?.body).toEqual({ username: 'u', password: 'p' });
  });

  it('logs in again once when the portal refuses the session, and delivers the call', async () => {
    const c = client();
    await c.syncDossier(record, false);
    sessions.clear();
    await c.syncDossier(record, true);
    expect(logins).toBe(2);
    expect(seen.filter((x) => x.url === '/sync').at(-1)?.body.session).toBe('s2');
  });

  it('treats anything but error_code "00" as not delivered (a numeric 0 too)', async () => {
    const c = client();
    script = [{ body: { error_code: 0 } }, { body: { error_code: 0 } }, { body: { error_code: 0 } }];
    const e = await failure(c.syncDossier(record, true));
    expect(e.outcome).toBe('refused');
  });

  it('answers a 503 as refused, without a new login', async () => {
    const c = client();
    await c.syncDossier(record, false);
    script = [
      { status: 503, body: {} },
      { status: 503, body: {} },
    ];
    const e = await failure(c.syncDossier(record, true));
    expect(e.outcome).toBe('refused');
    expect(logins).toBe(1);
  });

  it('calls a timeout an unknown outcome, even when the retry is refused', async () => {
    const c = client({ timeoutMs: 1_000 });
    await c.syncDossier(record, false);
    script = [{ delayMs: 4_000 }, { body: { error_code: '01' } }, { body: { error_code: '01' } }];
    const e = await failure(c.syncDossier(record, false));
    expect(e.outcome).toBe('unknown');
  });

  it('retries a blip once and succeeds', async () => {
    const c = client();
    script = [{ status: 503, body: {} }];
    await c.syncDossier(record, true);
    expect(seen.filter((x) => x.url === '/sync')).toHaveLength(2);
  });

  it('calls a refused connection not delivered', async () => {
    const c = client({ syncUrl: `http://127.0.0.1:${await freePort()}/sync` });
    const e = await failure(c.syncDossier(record, true));
    expect(e.outcome).toBe('refused');
  });

  it('looks a dossier up with TraCuuHoSo', async () => {
    const c = client();
    script = [{ body: { error_code: '00', result: [{ MaHoSo: 'x' }] } }, { body: { error_code: '00', result: [] } }];
    expect(await c.hasDossier('x')).toBe(true);
    expect(await c.hasDossier('y')).toBe(false);
    expect(seen.filter((x) => x.url === '/sync')[0]?.body).toMatchObject({ service: 'TraCuuHoSo', mahoso: 'x' });
  });
});

describe('Function: parseDvcqgSettings', () => {
  it('is not configured without a sync URL, or with the secret placeholder', () => {
    expect(() => parseDvcqgSettings({})).toThrow(PortalNotConfiguredError);
    expect(() => parseDvcqgSettings({ DVCQG_SYNC_URL: 'REPLACE_ME' })).toThrow(PortalNotConfiguredError);
    expect(parseDvcqgSettings({ DVCQG_SYNC_URL: 'https://x/sync', DVCQG_UNIT_CODE: 'G' })).toMatchObject({
      authUrl: 'https://x/sync',
      unitCode: 'G',
      timeoutMs: 8000,
    });
  });
});
