/**
 * Tenancy: a citizen sees only their own dossiers, an official only their ward's (DESIGN §3, §6).
 * Dossiers of citizen A in ward bimson are probed by citizen B and by every staff role of ward
 * quangtrung: reads get exactly the 404 a dossier that does not exist gets (never a hint), writes
 * get 403|404 and change nothing, lists never contain them; the public lookup shows nothing
 * personal; a staff token without a ward claim is refused everywhere.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions, type RouteSpec } from '#wiring/manifest.ts';
import {
  applicant,
  digest,
  eventually,
  expectNo5xx,
  expectRefused,
  goodClaims,
  hasErrorShape,
  type Res,
  startTrustStack,
  type TrustStack,
} from './trust-stack.ts';

const HOME = 'bimson';
const OTHER = 'quangtrung';
const STAFF = ['receiver', 'specialist', 'leader', 'admin'] as const;

let s: TrustStack;
const t: Record<string, string> = {};
let pid: string;
let procedure: any;
/** A's dossiers: d1 new (status 1) with a scanned component, d6 waiting for a fee, d10 returned. */
let d1: any;
let d6: any;
let d10: any;
let component: string;
let before: Map<string, { version: number; history: number }>;

const dossierRoutes = functions
  .filter((f) => !f.localOnly)
  .flatMap((f) => f.routes ?? [])
  .filter((r) => r.roles !== 'public' && r.path.includes('{dossierId}'));
const key = (r: RouteSpec) => `${r.method} ${r.path}`;

const move = async (token: string, d: any, to: number, extra: object = {}) => {
  const r = await s.call('POST', `/v1/dossiers/${d.id}/transitions`, {
    token,
    body: { to, expectedVersion: d.version, ...extra },
  });
  expect(r.status, r.text).toBe(200);
  return r.json;
};

const submitAsA = async (n: number) => {
  const r = await s.call('POST', '/v1/dossiers', {
    token: t.citizenA,
    body: { ward: HOME, procedureId: pid, channel: 'online', applicant: applicant(n) },
  });
  expect(r.status, r.text).toBe(201);
  return (await s.call('GET', `/v1/dossiers/${r.json.id}`, { token: t.citizenA })).json;
};

/** The dossier each dossier-scoped route is best probed on (where the owner could succeed), and a body that would. */
const probeOf = (r: RouteSpec): { d: any; body?: unknown } => {
  switch (key(r)) {
    case 'POST /v1/dossiers/{dossierId}/transitions':
      return { d: d1, body: { to: 2, expectedVersion: d1.version } };
    case 'POST /v1/dossiers/{dossierId}/withdraw':
      return { d: d1, body: { reason: 'Nộp nhầm' } };
    case 'POST /v1/dossiers/{dossierId}/payments':
      return { d: d6, body: { gateway: 'vnpay' } };
    case 'POST /v1/dossiers/{dossierId}/feedback':
      return { d: d10, body: { score: 1, complaint: 'Chậm' } };
    case 'POST /v1/dossiers/{dossierId}/extension': {
      const due = Date.parse(d6.dueAt ?? d6.appointmentAt ?? new Date().toISOString());
      const later = new Date(due + 7 * 24 * 3600_000).toISOString();
      return { d: d6, body: { reason: 'Cần xác minh thêm', newAppointmentAt: later, expectedVersion: d6.version } };
    }
    case 'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url':
      return { d: d1, body: { contentType: 'application/pdf', contentLength: 1000 } };
    case 'POST /v1/dossiers/{dossierId}/result/upload-url':
      return { d: d6, body: { contentType: 'application/pdf', contentLength: 1000 } };
    default:
      return { d: r.path.includes('/result/') ? d6 : d1, body: r.method === 'GET' ? undefined : {} };
  }
};

const pathFor = (r: RouteSpec, id: string) =>
  r.path
    .replace('{dossierId}', id)
    .replace('{componentId}', component)
    .replace('{form}', '01.pdf')
    .replace(/\{\w+\}/g, 'x');

/** Callers that must not see A's dossiers, each with a token. */
const strangers = (): [string, string][] => [
  ['citizen B', t.citizenB as string],
  ['citizen B claiming ward bimson', t.citizenBWard as string],
  ...STAFF.map((role): [string, string] => [`${role} of ${OTHER}`, t[`${OTHER}:${role}`] as string]),
];

const state = async (id: string) => {
  const d = await s.call('GET', `/v1/dossiers/${id}`, { token: t.citizenA });
  const h = await s.call('GET', `/v1/dossiers/${id}/history`, { token: t.citizenA });
  expect(d.status).toBe(200);
  return { version: d.json.version as number, history: h.json.items.length as number };
};

const listAll = async (token: string, query = ''): Promise<{ status: number; ids: string[]; last: Res }> => {
  const ids: string[] = [];
  let cursor: string | undefined;
  let last: Res;
  let pages = 0;
  do {
    const q = `${query}${query ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    last = await s.call('GET', `/v1/dossiers${q}`, { token });
    if (last.status !== 200) return { status: last.status, ids, last };
    for (const d of last.json.items) ids.push(d.id);
    cursor = last.json.next;
  } while (cursor && ++pages < 20);
  return { status: 200, ids, last };
};

beforeAll(async () => {
  s = await startTrustStack();
  t.citizenA = await s.token('citizen', 'citizen-a');
  t.citizenB = await s.token('citizen', 'citizen-b');
  t.citizenBWard = await s.sign({ ...goodClaims('citizen', 'citizen-b'), ward: HOME });
  for (const ward of [HOME, OTHER]) {
    for (const role of [...STAFF, 'kiosk']) t[`${ward}:${role}`] = await s.token(role, `${role}-${ward}`, ward);
  }
  const list = await s.call('GET', `/v1/procedures?ward=${HOME}`);
  procedure = list.json.items.find(
    (p: any) => p.fee >= 10000 && p.channels.some((c: string) => c !== 'counter') && p.documents.length > 0,
  );
  pid = procedure.id;

  d1 = await submitAsA(1);
  component = d1.components[0].id;
  // A scanned component, so that the download URL exists for the owner.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
  const up = await s.call('POST', `/v1/dossiers/${d1.id}/documents/${component}/upload-url`, {
    token: t.citizenA,
    body: {
      contentType: 'application/pdf',
      contentLength: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('base64'),
    },
  });
  expect(up.status, up.text).toBe(201);
  const put = await fetch(up.json.url, { method: up.json.method ?? 'PUT', headers: up.json.headers, body: pdf });
  expect(put.status, await put.text()).toBe(200);
  d1 = await eventually(async () => {
    const d = (await s.call('GET', `/v1/dossiers/${d1.id}`, { token: t.citizenA })).json;
    return d.components.find((c: any) => c.id === component)?.digitized ? d : undefined;
  });

  d6 = await submitAsA(2);
  d6 = await move(t[`${HOME}:receiver`] as string, d6, 2);
  d6 = await move(t[`${HOME}:receiver`] as string, d6, 4);
  d6 = await move(t[`${HOME}:specialist`] as string, d6, 6, { fee: procedure.fee });

  d10 = await submitAsA(3);
  d10 = await move(t[`${HOME}:receiver`] as string, d10, 2);
  d10 = await move(t[`${HOME}:receiver`] as string, d10, 4);
  d10 = await move(t[`${HOME}:leader`] as string, d10, 9);
  d10 = await move(t[`${HOME}:receiver`] as string, d10, 10);

  before = new Map();
  for (const d of [d1, d6, d10]) before.set(d.id, await state(d.id));
});
afterAll(async () => s?.stop());

describe('Route: GET /v1/dossiers/{dossierId} and the other reads of a dossier', () => {
  it('serves the owner and the staff of its ward (the control: these dossiers are visible to the right people)', async () => {
    for (const token of [t.citizenA, ...STAFF.map((r) => t[`${HOME}:${r}`])]) {
      for (const path of [`/v1/dossiers/${d1.id}`, `/v1/dossiers/${d1.id}/history`]) {
        const r = await s.call('GET', path, { token });
        expect(r.status, `${path} ${r.text.slice(0, 200)}`).toBe(200);
      }
    }
    const form = await s.call('GET', `/v1/dossiers/${d1.id}/forms/01.pdf`, { token: t.citizenA });
    expect(form.status).toBe(200);
    const dl = await s.call('GET', `/v1/dossiers/${d1.id}/documents/${component}/download-url`, {
      token: t.citizenA,
    });
    expect(dl.status, dl.text).toBe(200);
  });

  for (const path of ['', '/history', '/forms/01.pdf', '/forms/03.pdf', '/documents/{c}/download-url']) {
    it(`answers ${path || 'the detail'} to citizen B and every staff role of ${OTHER} with the 404 of a dossier that does not exist`, async () => {
      const ghost = randomUUID();
      const p = (id: string) => `/v1/dossiers/${id}${path.replace('{c}', component)}`;
      for (const [who, token] of strangers()) {
        const real = await s.call('GET', p(d1.id), { token });
        expectRefused(`${who} GET ${p(d1.id)}`, real, [404]);
        const none = await s.call('GET', p(ghost), { token });
        expect(digest(real), `${who}: ${real.text} vs ${none.text}`).toBe(digest(none));
      }
    });
  }
});

describe('Route: every dossier-scoped write (transitions, withdraw, payments, feedback, uploads, result)', () => {
  for (const route of dossierRoutes.filter((r) => r.method !== 'GET')) {
    it(`refuses ${key(route)} to citizen B and every staff role of ${OTHER} with 403 or 404, like a dossier that does not exist`, async () => {
      const { d, body } = probeOf(route);
      for (const [who, token] of strangers()) {
        const real = await s.call(route.method, pathFor(route, d.id), { token, body });
        expectRefused(`${who} ${route.method} ${pathFor(route, d.id)}`, real, [403, 404]);
        if (real.status === 404) {
          const none = await s.call(route.method, pathFor(route, randomUUID()), { token, body });
          expect(digest(real), `${who}: ${real.text} vs ${none.text}`).toBe(digest(none));
        }
      }
    });
  }

  it('changed nothing: versions and histories of the probed dossiers are as before', async () => {
    for (const d of [d1, d6, d10]) expect(await state(d.id)).toEqual(before.get(d.id));
  });
});

describe('Route: GET /v1/dossiers (lists)', () => {
  it('lists all three to the owner and to the staff of their ward (the control)', async () => {
    for (const token of [t.citizenA, t[`${HOME}:receiver`], t[`${HOME}:leader`]]) {
      const l = await listAll(token as string);
      expect(l.status).toBe(200);
      expect(l.ids).toEqual(expect.arrayContaining([d1.id, d6.id, d10.id]));
    }
  });

  for (const query of ['', '?status=1', '?status=6', `?procedureId=${'{pid}'}`]) {
    it(`never shows them to citizen B${query ? ` (filter ${query})` : ''}`, async () => {
      for (const token of [t.citizenB, t.citizenBWard]) {
        const l = await listAll(token as string, query.replace('{pid}', pid));
        expect(l.status, l.last.text).toBe(200);
        expect(l.ids).not.toEqual(expect.arrayContaining([d1.id]));
        expect(l.ids.filter((id) => [d1.id, d6.id, d10.id].includes(id))).toEqual([]);
      }
    });
  }

  for (const query of [
    '',
    '?status=1',
    '?overdue=true',
    '?dueBefore=2100-01-01T00:00:00Z',
    `?procedureId=${'{pid}'}`,
  ]) {
    it(`never shows them to any staff role of ${OTHER}${query ? ` (filter ${query})` : ''}`, async () => {
      for (const role of STAFF) {
        const l = await listAll(t[`${OTHER}:${role}`] as string, query.replace('{pid}', pid));
        expect(l.status, l.last.text).toBe(200);
        expect(l.ids.filter((id) => [d1.id, d6.id, d10.id].includes(id))).toEqual([]);
        expect(l.last.text).not.toContain(HOME);
      }
    });
  }

  it("does not let another tenant page through with a cursor taken from bimson's or citizen A's list (no leak, no 5xx)", async () => {
    const wardPage = await s.call('GET', '/v1/dossiers?limit=1', { token: t[`${HOME}:receiver`] });
    const ownerPage = await s.call('GET', '/v1/dossiers?limit=1', { token: t.citizenA });
    expect(wardPage.json.next).toBeDefined();
    expect(ownerPage.json.next).toBeDefined();
    const probes: [string, string, string][] = [
      [`receiver of ${OTHER}`, t[`${OTHER}:receiver`] as string, wardPage.json.next],
      [`leader of ${OTHER}`, t[`${OTHER}:leader`] as string, ownerPage.json.next],
      ['citizen B', t.citizenB as string, ownerPage.json.next],
      ['citizen B', t.citizenB as string, wardPage.json.next],
    ];
    const problems: string[] = [];
    for (const [who, token, cursor] of probes) {
      const r = await s.call('GET', `/v1/dossiers?limit=100&cursor=${encodeURIComponent(cursor)}`, { token });
      if (r.status >= 500 || r.status < 200) problems.push(`${who}: HTTP ${r.status} ${r.text.slice(0, 100)}`);
      if (r.status >= 400 && !hasErrorShape(r)) problems.push(`${who}: HTTP ${r.status} without the error shape`);
      if (r.status === 200 && [d1.id, d6.id, d10.id, 'citizen-a'].some((x) => r.text.includes(x))) {
        problems.push(`${who}: the page shows citizen A's dossiers`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('Route: GET /v1/lookup/{dossierCode} (public)', () => {
  const personal = (d: any) => [
    d.applicant.fullName,
    d.applicant.idNumber,
    d.applicant.phone,
    d.applicant.phone.slice(-9),
    'citizen-a',
    d.id,
  ];

  it('answers a wrong phone exactly like an unknown code, with no personal data', async () => {
    const unknown = await s.call(
      'GET',
      `/v1/lookup/${encodeURIComponent(d1.code.replace(/-\d+$/, '-9999'))}?phone=0000`,
    );
    for (const phone of ['0000', '1234', d1.applicant.phone.slice(-3), d1.applicant.phone, '', 'abcd']) {
      const r = await s.call('GET', `/v1/lookup/${encodeURIComponent(d1.code)}?phone=${encodeURIComponent(phone)}`);
      if (phone === d1.applicant.phone) {
        // The full number is not the last four digits: it must not be accepted as such either.
        expect(r.status, r.text).toBe(404);
      }
      expectRefused(`lookup with phone "${phone}"`, r, [400, 404]);
      for (const p of personal(d1)) expect(r.text).not.toContain(p);
      expect(r.text).not.toMatch(/Nguyễn|Nhung/);
      if (r.status === 404) expect(digest(r)).toBe(digest(unknown));
    }
  });

  it('shows the status with the right last four digits, and still nothing personal (the control)', async () => {
    const r = await s.call('GET', `/v1/lookup/${encodeURIComponent(d1.code)}?phone=${d1.applicant.phone.slice(-4)}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.status).toBe(1);
    for (const p of personal(d1)) expect(r.text).not.toContain(p);
    expect(r.json.applicant).not.toContain('Nguyễn');
  });

  it('GET /v1/verify/{dossierCode} of an unsigned dossier reveals nothing personal', async () => {
    const r = await s.call('GET', `/v1/verify/${encodeURIComponent(d1.code)}`);
    expectNo5xx('verify an unsigned dossier', r);
    for (const p of personal(d1)) expect(r.text).not.toContain(p);
  });
});

describe('Route: every protected route, with a staff or kiosk token that has no usable ward claim', () => {
  const routes = functions
    .filter((f) => !f.localOnly)
    .flatMap((f) => f.routes ?? [])
    .filter((r): r is RouteSpec & { roles: readonly string[] } => r.roles !== 'public');
  const wardless: [string, (c: Record<string, unknown>) => Record<string, unknown>][] = [
    ['no ward claim', (c) => c],
    ['an empty ward', (c) => ({ ...c, ward: '' })],
    ['a ward that is a list', (c) => ({ ...c, ward: [HOME] })],
    ['a ward that is a number', (c) => ({ ...c, ward: 1 })],
  ];

  for (const route of routes) {
    // Citizens and the province administrator have no ward by design (DESIGN.md §6).
    const roles = route.roles.filter((r) => r !== 'citizen' && r !== 'province');
    if (roles.length === 0) continue;
    it(`refuses ${key(route)} to ${roles.join(', ')} without a ward (401, 403 or 404, never 2xx)`, async () => {
      const probe = route.path.includes('{dossierId}') ? probeOf(route) : undefined;
      const path =
        route.path
          .replace('{dossierId}', probe?.d.id ?? '')
          .replace('{componentId}', component)
          .replace('{form}', '01.pdf')
          .replace('{procedureId}', pid)
          .replace('{year}', '2026')
          .replace('{counterId}', 'badinh-1')
          .replace('{action}', 'next')
          .replace(/\{\w+\}/g, 'x') + (key(route) === 'GET /v1/reports' ? '?from=2026-01-01&to=2026-12-31' : '');
      const body =
        probe?.body ??
        (
          {
            'POST /v1/dossiers': { ward: HOME, procedureId: pid, channel: 'counter', applicant: applicant(40) },
            'PUT /v1/admin/procedures/{procedureId}': {
              name: 'Thủ tục giả',
              field: 'Hộ tịch',
              channels: ['counter'],
              durationDays: 1,
              fee: 0,
              ward: HOME,
            },
            'PUT /v1/admin/calendar/{year}': { holidays: [], workingDays: [] },
            'POST /v1/queue/tickets': { point: 'badinh', group: 'hotich' },
          } as Record<string, unknown>
        )[key(route)] ??
        (route.method === 'GET' ? undefined : {});
      for (const role of roles) {
        for (const [what, shape] of wardless) {
          const claims = shape(goodClaims(role, `${role}-nowhere`));
          const r = await s.call(route.method, path, { token: await s.sign(claims), body });
          expectRefused(`${role} with ${what}: ${route.method} ${path}`, r, [401, 403, 404]);
        }
      }
    });
  }

  it('left everything as it was', async () => {
    for (const d of [d1, d6, d10]) expect(await state(d.id)).toEqual(before.get(d.id));
    const cal = await s.call('GET', '/v1/admin/calendar/2026', { token: t[`${HOME}:admin`] });
    expect(cal.json.holidays.length).toBeGreaterThan(0);
    const p = await s.call('GET', `/v1/procedures/${pid}`);
    expect(p.json.version).toBe(procedure.version);
  });
});

describe(`Route: the catalog, the calendar, the reports and the queue across wards`, () => {
  it(`refuses the admin of ${OTHER} overwriting a procedure of ${HOME}, with or without a ward in the body`, async () => {
    const { id, ward, version, updatedAt, ...input } = procedure;
    for (const b of [input, { ...input, ward: HOME }, { ...input, ward: OTHER }]) {
      const r = await s.call('PUT', `/v1/admin/procedures/${pid}`, {
        token: t[`${OTHER}:admin`],
        body: { ...b, name: 'Tên bị sửa trái phép' },
      });
      expectRefused(`admin of ${OTHER} PUT ${pid}`, r, [403, 404]);
    }
    const after = await s.call('GET', `/v1/procedures/${pid}`);
    expect([after.json.name, after.json.ward, after.json.version]).toEqual([procedure.name, HOME, procedure.version]);
  });

  it(`keeps each ward's calendar to itself: ${OTHER}'s admin writing 2026 does not touch ${HOME}'s`, async () => {
    const mine = await s.call('GET', '/v1/admin/calendar/2026', { token: t[`${HOME}:admin`] });
    const w = await s.call('PUT', '/v1/admin/calendar/2026', {
      token: t[`${OTHER}:admin`],
      body: { holidays: ['2026-09-02'], workingDays: [] },
    });
    expect(w.status, w.text).toBe(200);
    const theirs = await s.call('GET', '/v1/admin/calendar/2026', { token: t[`${OTHER}:admin`] });
    expect(theirs.json.holidays).toEqual(['2026-09-02']);
    const still = await s.call('GET', '/v1/admin/calendar/2026', { token: t[`${HOME}:admin`] });
    expect(still.json).toEqual(mine.json);
  });

  it(`refuses ${OTHER}'s receiver submitting a dossier into ${HOME}, at the counter or online`, async () => {
    for (const channel of ['counter', 'online']) {
      const r = await s.call('POST', '/v1/dossiers', {
        token: t[`${OTHER}:receiver`],
        body: { ward: HOME, procedureId: pid, channel, applicant: applicant(50) },
      });
      expectRefused(`${channel} submission into another ward`, r, [403, 404, 422]);
    }
  });

  it(`reports to ${OTHER}'s leader only ${OTHER}'s figures, whatever ward the query names`, async () => {
    for (const q of ['', `&ward=${HOME}`, `&ward=${HOME}&ward=${OTHER}`]) {
      const r = await s.call('GET', `/v1/reports?from=2026-01-01&to=2026-12-31${q}`, { token: t[`${OTHER}:leader`] });
      expectNo5xx(`report ${q}`, r);
      if (r.status === 200) {
        expect(r.json.ward).toBe(OTHER);
        expect(r.json.received).toBe(0);
      }
    }
  });

  it(`refuses ${OTHER}'s receiver running a counter of ${HOME}, and ${OTHER}'s kiosk issuing numbers at a point of ${HOME}`, async () => {
    for (const action of ['next', 'recall', 'skip', 'finish']) {
      const r = await s.call('POST', `/v1/queue/counters/badinh-1/${action}`, {
        token: t[`${OTHER}:receiver`],
        body: {},
      });
      expectRefused(`counter badinh-1 ${action}`, r, [403, 404]);
    }
    const k = await s.call('POST', '/v1/queue/tickets', {
      token: t[`${OTHER}:kiosk`],
      body: { point: 'badinh', group: 'hotich' },
    });
    expectRefused('kiosk of another ward', k, [403, 404, 422]);
  });
});

describe('Route: the owner and the ward can still do what the strangers could not (the controls)', () => {
  it('lets the owner pay, rate and withdraw, and the ward move the dossier', async () => {
    const pay = await s.call('POST', `/v1/dossiers/${d6.id}/payments`, {
      token: t.citizenA,
      body: { gateway: 'vnpay' },
    });
    expect(pay.status, pay.text).toBe(201);
    expect(pay.json.amount).toBe(procedure.fee);
    const rate = await s.call('POST', `/v1/dossiers/${d10.id}/feedback`, { token: t.citizenA, body: { score: 5 } });
    expect(rate.status, rate.text).toBe(200);
    const w = await s.call('POST', `/v1/dossiers/${d1.id}/withdraw`, { token: t.citizenA, body: {} });
    expect(w.status, w.text).toBe(200);
    const m = await s.call('POST', `/v1/dossiers/${d1.id}/transitions`, {
      token: t[`${HOME}:receiver`],
      body: { to: 8, expectedVersion: w.json.version, reason: 'Công dân xin rút' },
    });
    expect(m.status, m.text).toBe(200);
  });
});
