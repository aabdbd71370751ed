/**
 * The national portal sync against a portal written here (not the runtime's sandbox): it speaks
 * the DVCQG protocol, keeps what it accepted in arrival order, and is taken down, slowed past the
 * client's timeout, made to drop its sessions and to refuse calls at random while a burst of
 * transitions runs. Every dossier's last status must reach it, its statuses must never go back,
 * and the session must be reused.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPortalClient } from '#functions/adapters/dvcqg-http.ts';
import { SANDBOX_DVCQG } from '#local/sandbox-dvcqg.ts';
import { freePort } from '#local/servers.ts';
import type { DossierRecord, ProgressRecord } from '#shared/dvcqg/payload.ts';
import { PortalCallError } from '#shared/errors.ts';
import { applicant, eventually, type Stack, startStack } from '../helpers/stack.ts';

interface Received {
  readonly service: string;
  readonly isUpdating?: string;
  readonly status: number;
}

/** A portal of our own: protocol, records, and the faults the test switches on. */
class TestPortal {
  server: Server | undefined;
  port = 0;
  logins = 0;
  accepted = 0;
  refused = 0;
  sessions = new Set<string>();
  records = new Map<string, Received[]>();
  /** One call in K answers a refusal (error_code "99"); 0: never. */
  failOneIn = 0;
  /** Answers this late (after doing the work), past the client's timeout. */
  delayMs = 0;
  /** What went wrong in the portal itself (none expected: checked after the run). */
  errors: unknown[] = [];
  private calls = 0;

  async start(port?: number): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        // The client hung up before its request had all arrived (its timeout, or down() cutting the
        // connection): there is no one to answer. On a busy machine that happens in the burst below.
        if (!req.complete) return;
        this.errors.push(e);
        res.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(port ?? 0, '127.0.0.1', r));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Down: no more connections accepted, the open ones cut. */
  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, any>;
    const send = async (status: number, out: unknown) => {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    };
    if (req.url === '/auth') {
      if (body.username !== 'ward-user' || body.password !== 'ward-secret') return send(200, { error_code: 1 });
      this.logins++;
      const session = `s-${this.logins}-${Math.random()}`;
      this.sessions.add(session);
      return send(200, { session, error_code: 0 });
    }
    if (!this.sessions.has(body.session)) {
      this.refused++;
      return send(200, { error_code: '98', message: 'session expired' });
    }
    if (body.madonvi !== 'G22.99') return send(200, { error_code: '03', message: 'unit' });
    this.calls++;
    if (this.failOneIn && this.calls % this.failOneIn === 0) {
      this.refused++;
      return send(200, { error_code: '99', message: 'random failure' });
    }
    if (body.service === 'TraCuuHoSo') {
      return send(200, { error_code: '00', result: this.records.has(body.mahoso) ? [{ MaHoSo: body.mahoso }] : [] });
    }
    const rec = body.data?.[0] ?? {};
    const code = String(rec.MaHoSo ?? '');
    const known = this.records.has(code);
    if (body.service === 'DongBoHoSoMC') {
      if ((body.isUpdating === 'False') === known) {
        this.refused++;
        return send(200, { error_code: '01', message: known ? 'exists' : 'unknown dossier' });
      }
      this.push(code, { service: 'DongBoHoSoMC', isUpdating: body.isUpdating, status: Number(rec.TrangThaiHoSo) });
    } else if (body.service === 'CapNhatTienDoHoSoMC') {
      if (!known) return send(200, { error_code: '04', message: 'unknown dossier' });
      this.push(code, { service: 'CapNhatTienDoHoSoMC', status: Number(rec.TrangThai) });
    } else return send(200, { error_code: '05' });
    this.accepted++;
    return send(200, { error_code: '00' });
  }

  private push(code: string, r: Received): void {
    const list = this.records.get(code) ?? [];
    list.push(r);
    this.records.set(code, list);
  }
}

/**
 * Whether `received` (statuses in arrival order) follows `lived` (the dossier's statuses in order)
 * without ever going back: each received status is the current one or a later one of its life.
 */
function neverWentBack(received: readonly number[], lived: readonly number[]): boolean {
  let at = 0;
  for (const s of received) {
    if (lived[at] === s) continue;
    const next = lived.indexOf(s, at + 1);
    if (next < 0) return false;
    at = next;
  }
  return true;
}

const portal = new TestPortal();
let s: Stack;
let receiver: string;
let specialist: string;
let leader: string;
let admin: string;
let pid: string;

beforeAll(async () => {
  await portal.start(await freePort());
  s = await startStack({
    retryDelayS: 1,
    env: {
      DVCQG_AUTH_URL: `http://127.0.0.1:${portal.port}/auth`,
      DVCQG_SYNC_URL: `http://127.0.0.1:${portal.port}/sync`,
      DVCQG_USERNAME: 'ward-user',
      DVCQG_PASSWORD: 'ward-secret',
      DVCQG_UNIT_CODE: 'G22.99',
      DVCQG_TIMEOUT_MS: '800',
      DVCQG_RECONCILE_GRACE_S: '1',
    },
  });
  ({ receiver, specialist, leader, admin } = await s.cast('citizen-dvcqg'));
  const list = await s.call('GET', '/v1/procedures?ward=bimson');
  pid = list.json.items.find((p: any) => p.nationalCode === '1.001193')?.id ?? list.json.items[0].id;
}, 120_000);
afterAll(async () => {
  await s?.stop();
  await portal.down();
  expect(portal.errors).toEqual([]);
});

const submit = (n: number) =>
  s.call('POST', '/v1/dossiers', {
    token: receiver,
    body: { ward: 'bimson', procedureId: pid, channel: 'counter', applicant: applicant(n) },
  });

const tokenFor = (to: number) => (to === 9 ? leader : [5, 6, 8].includes(to) ? specialist : receiver);

/** Moves a dossier along `path`, retrying a lost race; returns the statuses it lived. */
async function play(id: string, version: number, path: readonly number[]): Promise<void> {
  let v = version;
  for (const to of path) {
    const r = await s.call('POST', `/v1/dossiers/${id}/transitions`, {
      token: tokenFor(to),
      body: { to, expectedVersion: v, ...([5, 8].includes(to) ? { reason: 'Thiếu giấy tờ' } : {}) },
    });
    expect(r.status, r.text).toBe(200);
    v = r.json.version;
    await new Promise((res) => setTimeout(res, 150 + Math.random() * 250));
  }
}

const PATHS: readonly (readonly number[])[] = [
  [4, 9, 10],
  [4, 5, 4, 9, 10],
  [4, 8],
  [4, 9],
  [4, 5, 4, 5, 4, 9, 10],
];

describe('DVCQG sync: against a portal written in the test, with outages', () => {
  it('sends the first record with isUpdating "False", the dossier code and the national procedure code', async () => {
    const r = await submit(1);
    expect(r.status).toBe(201);
    const recs = await eventually(async () => portal.records.get(r.json.code));
    expect(recs[0]).toMatchObject({ service: 'DongBoHoSoMC', isUpdating: 'False', status: 2 });
    const staff = await eventually(async () => {
      const g = await s.call('GET', `/v1/dossiers/${r.json.id}`, { token: receiver });
      return g.json.portalSync?.synced ? g.json : undefined;
    });
    expect(staff.portalSync).toMatchObject({ version: 1, synced: true });
    expect(Date.parse(staff.portalSync.at)).toBeGreaterThan(0);
  });

  it('gets every last status through an outage, timeouts, dropped sessions and random refusals, never going back, on few sessions', async () => {
    const dossiers: { id: string; code: string; path: readonly number[] }[] = [];
    for (let n = 0; n < 10; n++) {
      const r = await submit(100 + n);
      expect(r.status).toBe(201);
      dossiers.push({ id: r.json.id, code: r.json.code, path: PATHS[n % PATHS.length] as readonly number[] });
    }
    const loginsBefore = portal.logins;
    portal.failOneIn = 7;
    const burst = Promise.all(
      dossiers.map((d, i) => new Promise((r) => setTimeout(r, i * 60)).then(() => play(d.id, 1, d.path))),
    );
    // Slow first: answers after the client has given up (the work is done: outcome unknown to it).
    await new Promise((r) => setTimeout(r, 400));
    portal.delayMs = 1200;
    await new Promise((r) => setTimeout(r, 1500));
    portal.delayMs = 0;
    // Then down for 10 s (longer than the queue's retries at 1 s: some records go to the DLQ, and
    // the reconciliation has to find those dossiers); back with its sessions forgotten.
    await portal.down();
    await new Promise((r) => setTimeout(r, 4000));
    const during = await s.call('GET', '/v1/admin/dvcqg/unsynced', { token: admin });
    expect(during.status).toBe(200);
    expect(during.json.items.length).toBeGreaterThan(0);
    expect(during.json.items[0].lastError).toBeTruthy();
    await new Promise((r) => setTimeout(r, 6000));
    portal.sessions.clear();
    await portal.start(portal.port);
    await burst;

    // The reconciliation schedule (its timer is off in tests) until everything is acknowledged.
    const lived = new Map<string, number[]>();
    await eventually(async () => {
      await s.rt.runSchedule('dvcqg-reconcile');
      for (const d of dossiers) {
        const g = await s.call('GET', `/v1/dossiers/${d.id}`, { token: receiver });
        if (!g.json.portalSync?.synced) return undefined;
      }
      return true;
    }, 90_000);
    portal.failOneIn = 0;

    for (const d of dossiers) {
      const h = await s.call('GET', `/v1/dossiers/${d.id}/history`, { token: receiver });
      lived.set(
        d.code,
        h.json.items.map((e: { to: number }) => e.to),
      );
      const got = portal.records.get(d.code) ?? [];
      const statuses = got.map((x) => x.status);
      const last = lived.get(d.code)?.at(-1);
      // The last status reached it, as the dossier's state and as its last step.
      expect(got.filter((x) => x.service === 'DongBoHoSoMC').at(-1)?.status, d.code).toBe(last);
      expect(statuses.at(-1), d.code).toBe(last);
      // Never back: what it saw follows the dossier's life in order.
      expect(neverWentBack(statuses, lived.get(d.code) ?? []), `${d.code}: ${statuses} vs ${lived.get(d.code)}`).toBe(
        true,
      );
      // Created once, updated after.
      expect(got.filter((x) => x.isUpdating === 'False')).toHaveLength(1);
      expect(got[0]?.isUpdating).toBe('False');
    }
    // The session is reused: a login when it was forgotten or refused, not one per call.
    const logins = portal.logins - loginsBefore;
    expect(logins).toBeGreaterThanOrEqual(1);
    expect(logins).toBeLessThan(portal.accepted / 3);
    expect(logins).toBeLessThanOrEqual(2 + portal.refused);
    const after = await s.call('GET', '/v1/admin/dvcqg/unsynced', { token: admin });
    expect(after.json.items, JSON.stringify(after.json.items)).toEqual([]);
  }, 180_000);

  it('changes nothing at the portal when an event is delivered again', async () => {
    const r = await submit(300);
    await eventually(async () => {
      const g = await s.call('GET', `/v1/dossiers/${r.json.id}`, { token: receiver });
      return g.json.portalSync?.synced ? true : undefined;
    });
    const before = portal.records.get(r.json.code)?.length;
    const q = s.rt.queues.get('dvcqg-sync');
    if (!q) throw new Error('no dvcqg-sync queue');
    const envelope = {
      id: crypto.randomUUID(),
      'detail-type': 'DossierSubmitted',
      source: 'motcua.dossiers',
      time: new Date().toISOString(),
      detail: {
        id: crypto.randomUUID(),
        type: 'DossierSubmitted',
        dossierId: r.json.id,
        occurredAt: new Date().toISOString(),
      },
    };
    await s.rt.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify(envelope) }));
    await s.rt.runSchedule('dvcqg-reconcile');
    await new Promise((res) => setTimeout(res, 2500));
    expect(portal.records.get(r.json.code)?.length).toBe(before);
  });

  it('lists nothing but ward dossiers to an admin, and refuses other roles', async () => {
    const r = await s.call('GET', '/v1/admin/dvcqg/unsynced', { token: receiver });
    expect(r.status).toBe(403);
    const a = await s.call('GET', '/v1/admin/dvcqg/unsynced', { token: admin });
    expect(a.status).toBe(200);
  });
});

describe('The sandbox portal of the runtime, spoken to by the same client', () => {
  const sandbox = () =>
    new HttpPortalClient(async () => ({
      authUrl: `${s.base}/local/sandbox/dvcqg/auth`,
      syncUrl: `${s.base}/local/sandbox/dvcqg/sync`,
      // The sandbox checks the runtime's DVCQG_* settings (here the test portal's) or its own defaults.
      username: process.env.DVCQG_USERNAME ?? SANDBOX_DVCQG.username,
      password: process.env.DVCQG_PASSWORD ?? SANDBOX_DVCQG.password,
      unitCode: process.env.DVCQG_UNIT_CODE ?? SANDBOX_DVCQG.unitCode,
      timeoutMs: 2000,
    }));
  const faults = (body: object) => s.call('POST', '/local/sandbox/dvcqg/faults', { body });
  const rec = (code: string, status: string) => ({ MaHoSo: code, TrangThaiHoSo: status }) as unknown as DossierRecord;
  const step = (code: string, status: string) => ({ MaHoSo: code, TrangThai: status }) as unknown as ProgressRecord;

  it('keeps what it accepted in arrival order and refuses what the protocol does not allow', async () => {
    const c = sandbox();
    await expect(c.syncDossier(rec('SBX-1', '2'), true)).rejects.toBeInstanceOf(PortalCallError);
    await c.syncDossier(rec('SBX-1', '2'), false);
    await expect(c.syncDossier(rec('SBX-1', '2'), false)).rejects.toBeInstanceOf(PortalCallError);
    await c.updateProgress(step('SBX-1', '4'));
    await c.syncDossier(rec('SBX-1', '4'), true);
    expect(await c.hasDossier('SBX-1')).toBe(true);
    expect(await c.hasDossier('SBX-404')).toBe(false);
    const r = await s.call('GET', '/local/sandbox/dvcqg/dossiers/SBX-1');
    expect(r.status).toBe(200);
    expect(
      r.json.records.map((x: any) => [x.service, x.isUpdating, x.record.TrangThaiHoSo ?? x.record.TrangThai]),
    ).toEqual([
      ['DongBoHoSoMC', 'False', '2'],
      ['CapNhatTienDoHoSoMC', undefined, '4'],
      ['DongBoHoSoMC', 'True', '4'],
    ]);
    expect((await s.call('GET', '/local/sandbox/dvcqg/dossiers/SBX-404')).status).toBe(404);
  });

  it('goes down, refuses one call in K, drops its sessions when told, and comes back', async () => {
    const c = sandbox();
    await c.syncDossier(rec('SBX-2', '2'), false);
    expect((await faults({ downForS: 60 })).json.down).toBe(true);
    await expect(c.syncDossier(rec('SBX-2', '4'), true)).rejects.toBeInstanceOf(PortalCallError);
    const back = await faults({});
    expect(back.json.down).toBe(false);
    const logins = back.json.logins;
    await faults({ dropSession: true });
    await c.syncDossier(rec('SBX-2', '4'), true);
    expect((await faults({ failOneIn: 1 })).json.failOneIn).toBe(1);
    const e = await c.syncDossier(rec('SBX-2', '9'), true).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PortalCallError);
    const after = await faults({});
    expect(after.json.logins).toBeGreaterThan(logins);
    const r = await s.call('GET', '/local/sandbox/dvcqg/dossiers/SBX-2');
    expect(r.json.records.map((x: any) => x.record.TrangThaiHoSo)).toEqual(['2', '4']);
  });
});
