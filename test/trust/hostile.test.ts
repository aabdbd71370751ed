/**
 * Hostile input, property-based (fast-check): request bodies of every write route (arbitrary JSON,
 * wrong types per field, huge and deep values, Vietnamese names in odd Unicode), path tricks in
 * every path parameter of every route, malformed JSON, wrong content types, oversized bodies and
 * odd query strings. Every answer is a 4xx with `{ error: { code, message } }`, or a 2xx where the
 * input happens to be valid, and NEVER a 5xx. Afterwards the dossiers used as targets moved only
 * as far as the requests that succeeded say (nothing half-written).
 *
 * Runs are bounded (numRuns per property) so that the file takes well under a minute.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions, type RouteSpec } from '#wiring/manifest.ts';
import { applicant, expectNo5xx, hasErrorShape, type Res, startTrustStack, type TrustStack } from './trust-stack.ts';

const WARD = 'bimson';

let s: TrustStack;
const t: Record<string, string> = {};
let procedure: any;
/** Another procedure of the ward: the target of the catalog fuzzing (the first one keeps taking dossiers). */
let fuzzProcedure: any;
/** The target of the dossier-scoped fuzzing (status 1, citizen A), and the target of withdraw fuzzing. */
let target: any;
let withdrawTarget: any;
let calendar: any;

/** What the successful requests are allowed to have changed. */
const expected = new Map<string, { version: number; history: number }>();
const succeeded: string[] = [];
let createdByFuzz = 0;
let procedureWrites = 0;

const routes = functions.filter((f) => !f.localOnly).flatMap((f) => f.routes ?? []);
const key = (r: RouteSpec) => `${r.method} ${r.path}`;

// --- arbitraries ---------------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Strings of any code unit, lone surrogates and controls included. */
const anyString = fc.string({
  unit: fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    loneSurrogate,
    fc.constantFrom('\u0000', '\u200d', '\u200f', '\u202e', '\u0301', '\ufeff', '\u2028', 'ễ', '"', '\\'),
  ),
  maxLength: 40,
});

const VIETNAMESE_ODD_NAMES = [
  'Nguyễn Văn An'.normalize('NFD'), // combining marks
  'Nguyễn\u200d Thị\u200d Hồng', // zero-width joiners
  '\u200fNguyễn Văn\u200f', // RTL marks
  '\u202eNguyễn Văn An\u202c', // RTL override
  'نغوين فان آن', // Arabic script
  'Nguy\u0000ễn', // NUL
  '\ufeffNguyễn Văn An', // BOM
  'Nguyễn\u2028Văn', // line separator
  `Ng${'\u0301'.repeat(300)}`, // combining marks galore
  '👨‍👩‍👧‍👦 Nguyễn Văn An', // emoji ZWJ sequence
  '\ud800Nguyễn', // lone high surrogate
  'Nguyễn\udfff', // lone low surrogate
  '\uffff\ufffe',
  '   Nguyễn Văn An   ',
  '\t',
  'Đặng Thị Ánh Tuyết',
  'ⓃⒼⓊⓎⒺⓃ',
  'Nguyễn'.repeat(20),
  '𝕹𝖌𝖚𝖞𝖊𝖓 𝖁𝖆𝖓',
  '<script>alert(1)</script>',
  "Nguyễn' OR '1'='1",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, literally
  '${7*7}{{7*7}}',
];
const oddName = fc.oneof(
  fc.constantFrom(...VIETNAMESE_ODD_NAMES),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
  anyString,
);

/** 1 KB to 70 KB of one character (ASCII, Vietnamese, zero-width, astral): around the 64 KB limit. */
const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 70_000 }), fc.constantFrom('a', 'ự', 'Nguyễn ', '\u200d', '😀', '\u0000'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)).slice(0, n));

const deep = fc.tuple(fc.integer({ min: 5, max: 2_000 }), fc.constantFrom('object', 'array')).map(([n, kind]) => {
  let v: unknown = 'đáy';
  for (let i = 0; i < n; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
});

const scalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '0',
    '1',
    'null',
    'true',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '%00',
    '<script>',
    "' OR 1=1 --",
  ),
  fc.integer(),
  fc.double(),
  anyString,
  oddName,
);

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 60 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor')), scalar) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deep },
);

const DELETE = Symbol('delete');
type Mutation = [path: string, value: unknown];

/** The base body with each `path` set to a hostile value (or deleted). */
function mutate(base: unknown, muts: readonly Mutation[]): unknown {
  const o = structuredClone(base) as Record<string, any>;
  for (const [path, value] of muts) {
    const parts = path.split('.');
    let cur: any = o;
    for (const p of parts.slice(0, -1)) {
      if (!cur || typeof cur !== 'object') break;
      cur = cur[p];
    }
    if (!cur || typeof cur !== 'object') continue;
    const last = parts.at(-1) as string;
    // An own `__proto__` key, as JSON.parse would make it (assignment would set the prototype instead).
    if (value === DELETE) delete cur[last];
    else Object.defineProperty(cur, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

const mutations = (fields: readonly string[]) =>
  fc.array(
    fc.tuple(
      fc.constantFrom(...fields, '__proto__', 'extra'),
      fc.oneof({ weight: 6, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(DELETE) }),
    ),
    { minLength: 1, maxLength: 3 },
  );

/** A body: arbitrary JSON, or the valid base with one to three fields replaced or deleted. */
const bodyFor = (base: () => unknown, fields: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.jsonValue() },
    { weight: 3, arbitrary: mutations(fields).map((m) => mutate(base(), m)) },
  );

/** Percent-encodes the UTF-8 of any string, lone surrogates included (as U+FFFD, as a client would). */
const pct = (v: string) => [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const enc = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return pct(v);
  }
};

// --- bookkeeping ---------------------------------------------------------------------------------

/** How a 2xx on a dossier route changes the dossier: transitions and withdraw add history, feedback only a version. */
const EFFECT: Record<string, { version: number; history: number }> = {
  'POST /v1/dossiers/{dossierId}/transitions': { version: 1, history: 1 },
  'POST /v1/dossiers/{dossierId}/withdraw': { version: 1, history: 1 },
  'POST /v1/dossiers/{dossierId}/feedback': { version: 1, history: 0 },
};

function account(route: RouteSpec, path: string, r: Res): void {
  if (r.status < 200 || r.status >= 300) return;
  succeeded.push(`${route.method} ${path.slice(0, 120)} -> ${r.status}`);
  if (key(route) === 'POST /v1/dossiers') createdByFuzz++;
  if (key(route) === 'PUT /v1/admin/procedures/{procedureId}' && path.endsWith(`/${fuzzProcedure.id}`))
    procedureWrites++;
  const effect = EFFECT[key(route)];
  if (!effect) return;
  for (const [id, e] of expected) {
    if (path.includes(id))
      expected.set(id, { version: e.version + effect.version, history: e.history + effect.history });
  }
}

/** Status and error code of every fuzzing request, per route: to prove the requests reached the handlers. */
const seen = new Map<string, Map<string, number>>();

const send = async (route: RouteSpec, path: string, o: Parameters<TrustStack['call']>[2] = {}): Promise<Res> => {
  const r = await s.call(route.method, path, o);
  account(route, path, r);
  const m = seen.get(key(route)) ?? new Map<string, number>();
  const k = `${r.status} ${r.json?.error?.code ?? ''}`.trim();
  m.set(k, (m.get(k) ?? 0) + 1);
  seen.set(key(route), m);
  return r;
};

const check = (what: string, r: Res) => expectNo5xx(what, r);

const state = async (id: string) => {
  const d = await s.call('GET', `/v1/dossiers/${id}`, { token: t.citizen });
  const h = await s.call('GET', `/v1/dossiers/${id}/history`, { token: t.citizen });
  return { version: d.json.version as number, history: h.json.items.length as number };
};

const countMine = async (token: string): Promise<number> => {
  let n = 0;
  let cursor: string | undefined;
  do {
    const r = await s.call('GET', `/v1/dossiers?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(r.status).toBe(200);
    n += r.json.items.length;
    cursor = r.json.next;
  } while (cursor);
  return n;
};

// --- plausible requests, per route ---------------------------------------------------------------

const submitBase = () => ({
  ward: WARD,
  procedureId: procedure.id,
  channel: 'online',
  applicant: { ...applicant(500), email: 'a@example.vn', address: 'Số 1 Lê Lợi' },
});
const procedureBase = () => {
  const { id, ward, version, updatedAt, ...input } = fuzzProcedure;
  return input;
};
/** The calendar fuzzing writes 2059 (the last years the calendar knows), so that an odd but valid calendar cannot change today's deadlines. */
const FUZZ_YEAR = '2059';
const calendarBase = () => ({ holidays: ['2059-01-01', '2059-09-02'], workingDays: ['2059-01-04'] });

/** Who calls a route in these tests, with which plausible body and query. */
function plan(r: RouteSpec): { token?: string; body?: () => unknown; query?: string } {
  const k = key(r);
  const token =
    r.roles === 'public'
      ? undefined
      : r.roles.includes('citizen')
        ? t.citizen
        : t[r.roles.includes('receiver') ? 'receiver' : (r.roles[0] as string)];
  const bodies: Record<string, () => unknown> = {
    'POST /v1/dossiers': submitBase,
    'POST /v1/dossiers/{dossierId}/transitions': () => ({ to: 2, expectedVersion: 999 }),
    'POST /v1/dossiers/{dossierId}/withdraw': () => ({ expectedVersion: 999 }),
    'POST /v1/dossiers/{dossierId}/feedback': () => ({ score: 5 }),
    'POST /v1/dossiers/{dossierId}/payments': () => ({ gateway: 'vnpay' }),
    'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url': () => ({
      contentType: 'application/pdf',
      contentLength: 1000,
    }),
    'POST /v1/dossiers/{dossierId}/result/upload-url': () => ({ contentType: 'application/pdf', contentLength: 1000 }),
    'PUT /v1/admin/procedures/{procedureId}': procedureBase,
    'PUT /v1/admin/calendar/{year}': calendarBase,
    'POST /v1/queue/tickets': () => ({ point: 'badinh', group: 'hotich' }),
  };
  const queries: Record<string, string> = {
    'GET /v1/procedures': `?ward=${WARD}`,
    'GET /v1/calendar/{ward}/add': '?from=2026-03-02T08:00:00%2B07:00&hours=8',
    'GET /v1/lookup/{dossierCode}': '?phone=1234',
    'GET /v1/reports': '?from=2026-01-01&to=2026-01-31',
    'GET /v1/reports/public': `?ward=${WARD}&from=2026-01-01&to=2026-01-31`,
    'GET /v1/queue/board': '?point=badinh',
  };
  const body = bodies[k] ?? (r.method === 'POST' || r.method === 'PUT' ? () => ({}) : undefined);
  return { ...(token ? { token } : {}), ...(body ? { body } : {}), ...(queries[k] ? { query: queries[k] } : {}) };
}

const plausible = (name: string): string => {
  switch (name) {
    case 'dossierId':
      return target.id;
    case 'componentId':
      return target.components[0].id;
    case 'procedureId':
      return fuzzProcedure.id;
    case 'year':
      return FUZZ_YEAR;
    case 'form':
      return '01.pdf';
    case 'counterId':
      return 'badinh-1';
    case 'action':
      return 'recall';
    case 'dossierCode':
      return target.code;
    case 'ward':
      return WARD;
    case 'asset':
      return 'swagger-ui.css';
    default:
      return 'x';
  }
};

const pathWith = (r: RouteSpec, override: Record<string, string> = {}) =>
  r.path.replace(/\{(\w+)\+?\}/g, (_, n: string) => override[n] ?? enc(plausible(n)));

const routeOf = (k: string): RouteSpec => {
  const r = routes.find((x) => key(x) === k);
  if (!r) throw new Error(`no route ${k} in the manifest`);
  return r;
};

// --- setup ---------------------------------------------------------------------------------------

beforeAll(async () => {
  // A stack of its own: it writes arbitrary catalog entries and calendars that other files would
  // read, and its probes count against the per-IP limit of the public routes. No token signing.
  s = await startTrustStack({ signing: false, own: true });
  t.citizen = await s.token('citizen', 'citizen-a');
  for (const role of ['receiver', 'specialist', 'leader', 'admin', 'kiosk', 'helper', 'province'])
    t[role] = await s.token(role, `${role}-1`, WARD);
  const list = await s.call('GET', `/v1/procedures?ward=${WARD}`);
  procedure = list.json.items.find(
    (p: any) => p.channels.some((c: string) => c !== 'counter') && p.documents.length > 0,
  );
  fuzzProcedure = list.json.items.find((p: any) => p.id !== procedure.id);
  const submit = async (n: number) => {
    const r = await s.call('POST', '/v1/dossiers', {
      token: t.citizen,
      body: { ...submitBase(), applicant: applicant(n) },
    });
    expect(r.status, r.text).toBe(201);
    return (await s.call('GET', `/v1/dossiers/${r.json.id}`, { token: t.citizen })).json;
  };
  target = await submit(1);
  withdrawTarget = await submit(2);
  calendar = (await s.call('GET', '/v1/admin/calendar/2026', { token: t.admin })).json;
  for (const d of [target, withdrawTarget]) expected.set(d.id, await state(d.id));
});
afterAll(async () => s?.stop());

// --- fixed examples: the inputs that the properties below found answered with a 5xx ---------------

describe('Route: hostile inputs found by the fuzzing, replayed every run (each must get a 4xx or a 2xx)', () => {
  it('GET /v1/dossiers/{dossierId}/forms/01.pdf with a 2,100-character id answers 404, not 500', async () => {
    const r = await s.call('GET', `/v1/dossiers/${'a'.repeat(2100)}/forms/01.pdf`, { token: t.citizen });
    expect([r.status, r.json?.error?.code], r.text).toEqual([404, 'DOSSIER_NOT_FOUND']);
  });

  it('GET /docs/{asset} named after an Object.prototype member (hasOwnProperty, toString, constructor, __proto__) answers 404, not 500', async () => {
    for (const asset of ['hasOwnProperty', 'toString', 'constructor', '__proto__', 'valueOf']) {
      const r = await s.call('GET', `/docs/${asset}`);
      expect(r.status, `${asset}: ${r.text}`).toBe(404);
      expect(hasErrorShape(r)).toBe(true);
    }
  });

  it('GET /v1/dossiers and GET /v1/procedures with a forged cursor ({} and {"a":1} in base64url) answer 400, not 500', async () => {
    for (const cursor of ['e30', 'eyJhIjoxfQ', Buffer.from('{"PK":5e-324}').toString('base64url')]) {
      for (const [path, token] of [
        [`/v1/dossiers?cursor=${cursor}`, t.receiver],
        [`/v1/dossiers?cursor=${cursor}`, t.citizen],
        [`/v1/procedures?ward=${WARD}&cursor=${cursor}`, undefined],
      ] as const) {
        const r = await s.call('GET', path, token ? { token } : {});
        expectNo5xx(`GET ${path}`, r);
      }
    }
  });

  it('GET /v1/admin/calendar/{year} for a year it accepts (2000-2100) but has no lunar table for (2019, 2061, 2100) answers 2xx or 4xx, not 500', async () => {
    for (const year of ['2019', '2061', '2100']) {
      expectNo5xx(
        `GET /v1/admin/calendar/${year}`,
        await s.call('GET', `/v1/admin/calendar/${year}`, { token: t.admin }),
      );
    }
  });

  it('GET /v1/calendar/{ward}/add outside 2020-2060 or with the largest hours it accepts (100000) answers 2xx or 4xx, not 500', async () => {
    for (const q of [
      'from=2019-12-31T08:00:00%2B07:00&hours=8',
      'from=2060-12-31T08:00:00%2B07:00&hours=8',
      'from=1970-01-01T00:00:00Z&hours=8',
      'from=0000-01-01T00:00:00Z&hours=1',
      'from=2026-03-02T08:00:00%2B07:00&hours=100000',
    ]) {
      expectNo5xx(`GET /v1/calendar/${WARD}/add?${q}`, await s.call('GET', `/v1/calendar/${WARD}/add?${q}`));
    }
  });

  it('PUT /v1/admin/procedures/{procedureId} with durationDays 5e-324 or 1e-200 (valid for the schema, too small for DynamoDB) answers 400, not 500', async () => {
    for (const durationDays of [5e-324, 1e-200]) {
      const r = await s.call('PUT', `/v1/admin/procedures/${fuzzProcedure.id}`, {
        token: t.admin,
        body: { ...procedureBase(), durationDays },
      });
      expectNo5xx(`durationDays ${durationDays}`, r);
      if (r.status < 300) procedureWrites++;
    }
  });
});

// --- request bodies ------------------------------------------------------------------------------

const BODY_FUZZ: { route: string; fields: string[]; numRuns: number; path?: () => string }[] = [
  {
    route: 'POST /v1/dossiers',
    fields: [
      'ward',
      'procedureId',
      'channel',
      'applicant',
      'components',
      'applicant.fullName',
      'applicant.idNumber',
      'applicant.phone',
      'applicant.email',
      'applicant.address',
    ],
    numRuns: 250,
  },
  {
    route: 'POST /v1/dossiers/{dossierId}/transitions',
    fields: ['to', 'expectedVersion', 'reason', 'fee'],
    numRuns: 200,
  },
  {
    route: 'POST /v1/dossiers/{dossierId}/withdraw',
    fields: ['reason', 'expectedVersion'],
    numRuns: 150,
    path: () => `/v1/dossiers/${withdrawTarget.id}/withdraw`,
  },
  { route: 'POST /v1/dossiers/{dossierId}/feedback', fields: ['score', 'complaint'], numRuns: 150 },
  { route: 'POST /v1/dossiers/{dossierId}/payments', fields: ['gateway', 'returnUrl'], numRuns: 150 },
  {
    route: 'POST /v1/dossiers/{dossierId}/documents/{componentId}/upload-url',
    fields: ['contentType', 'contentLength', 'sha256', 'fileName'],
    numRuns: 150,
  },
  {
    route: 'PUT /v1/admin/procedures/{procedureId}',
    fields: [
      'ward',
      'nationalCode',
      'name',
      'field',
      'group',
      'channels',
      'durationDays',
      'fee',
      'feeNote',
      'documents',
      'resultForm',
      'agency',
      'legalBasis',
      'active',
    ],
    numRuns: 200,
  },
  { route: 'PUT /v1/admin/calendar/{year}', fields: ['hours', 'holidays', 'workingDays'], numRuns: 200 },
  { route: 'POST /v1/queue/tickets', fields: ['point', 'group'], numRuns: 100 },
];

describe('Route: the request bodies of every write route (property-based)', () => {
  for (const { route: k, fields, numRuns, path } of BODY_FUZZ) {
    it(`${k} answers arbitrary JSON and wrong types per field (${fields.join(', ')}) with a 4xx or a 2xx, never a 5xx`, async () => {
      const route = routeOf(k);
      const p = plan(route);
      await fc.assert(
        fc.asyncProperty(bodyFor(p.body ?? (() => ({})), fields), async (v) => {
          const url = path?.() ?? pathWith(route);
          const r = await send(route, url, { ...(p.token ? { token: p.token } : {}), body: v });
          check(`${k} ${JSON.stringify(v)?.slice(0, 300)}`, r);
        }),
        { numRuns },
      );
    });
  }

  it('PUT /v1/admin/calendar/{year} answers calendar-shaped bodies with odd dates and hours with a 4xx or a 2xx', async () => {
    const route = routeOf('PUT /v1/admin/calendar/{year}');
    const date = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc
        .date({ min: new Date('2099-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom(
        '2099-02-29',
        '2099-02-30',
        '2099-13-01',
        '2026-02-29',
        '2026-02-30',
        '2026-13-01',
        '2026-00-10',
        '2026-1-1',
        '26-01-01',
        '2026-01-01T00:00',
      ),
      anyString,
    );
    const time = fc.oneof(
      fc.constantFrom('07:00', '24:00', '23:59', '25:00', '7:00', '07:60', '-1:00', '', '17:00', '11:30'),
      anyString,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          hours: fc.option(fc.array(fc.record({ start: time, end: time }), { maxLength: 5 }), { nil: undefined }),
          holidays: fc.array(date, { maxLength: 20 }),
          workingDays: fc.array(date, { maxLength: 5 }),
        }),
        async (body) => {
          const r = await send(route, `/v1/admin/calendar/${FUZZ_YEAR}`, { token: t.admin, body });
          check(`PUT calendar ${JSON.stringify(body).slice(0, 300)}`, r);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('POST /v1/dossiers takes Vietnamese names in odd Unicode (NFD, ZWJ, RTL, NUL, lone surrogates) as 201 or 400, and stores what it takes in NFC without controls', async () => {
    const route = routeOf('POST /v1/dossiers');
    await fc.assert(
      fc.asyncProperty(oddName, fc.option(oddName, { nil: undefined }), async (fullName, address) => {
        const body = { ...submitBase(), applicant: { ...applicant(600), fullName, ...(address ? { address } : {}) } };
        const r = await send(route, '/v1/dossiers', { token: t.citizen, body });
        check(`fullName ${JSON.stringify(fullName)}`, r);
        expect([201, 400], r.text).toContain(r.status);
        if (r.status === 201) {
          const stored = r.json.applicant.fullName as string;
          expect(stored).toBe(stored.normalize('NFC'));
          expect(stored).toBe(stored.trim());
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none got through
          expect(stored).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
          expect(stored.length).toBeGreaterThan(0);
          expect(stored.length).toBeLessThanOrEqual(120);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('renders form 01, the history and the public lookup of every dossier whose odd name was accepted, without a 5xx', async () => {
    const route = routeOf('POST /v1/dossiers');
    const problems: string[] = [];
    for (const [i, fullName] of VIETNAMESE_ODD_NAMES.entries()) {
      const body = { ...submitBase(), applicant: { ...applicant(700 + i), fullName, address: fullName } };
      const r = await send(route, '/v1/dossiers', { token: t.citizen, body });
      if (r.status >= 500) problems.push(`create ${JSON.stringify(fullName)}: ${r.status}`);
      if (r.status !== 201) continue;
      const reads = [
        await s.call('GET', `/v1/dossiers/${r.json.id}/forms/01.pdf`, { token: t.citizen }),
        await s.call('GET', `/v1/dossiers/${r.json.id}/history`, { token: t.receiver }),
        await s.call('GET', `/v1/lookup/${enc(r.json.code)}?phone=${body.applicant.phone.slice(-4)}`),
      ];
      for (const x of reads) {
        if (x.status !== 200) problems.push(`${JSON.stringify(fullName)}: read -> ${x.status} ${x.text.slice(0, 100)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// --- raw bodies: malformed JSON, content types, sizes ---------------------------------------------

const writeRoutes = () => routes.filter((r) => r.method === 'POST' || r.method === 'PUT');

const MALFORMED = [
  '{',
  '{"ward":',
  '{"ward":"bimson",}',
  "{'ward':'bimson'}",
  'undefined',
  'NaN',
  '{"a":1}{"a":2}',
  '\ufeff{}',
  '{"a":"\\ud800"', // truncated, with a lone surrogate escape
  '{"a":"\u0000"}', // a raw NUL inside a string
  '[',
  '"',
  '{"__proto__":',
  '['.repeat(10_000),
];

describe('Route: raw bodies on every write route (malformed JSON, content types, sizes)', () => {
  const JSON_TYPE = { 'content-type': 'application/json' };
  /** How a route answers with no body at all, and whether it reads its body (a malformed one is MALFORMED_JSON). */
  const baseline = async (route: RouteSpec) => {
    const p = plan(route);
    const auth = p.token ? { token: p.token } : {};
    const path = `${pathWith(route)}${p.query ?? ''}`;
    const bodiless = await send(route, path, { ...auth, raw: '', headers: JSON_TYPE });
    const probe = await send(route, path, { ...auth, raw: '{', headers: JSON_TYPE });
    return { p, auth, path, bodiless, readsBody: probe.status === 400 && probe.json?.error?.code === 'MALFORMED_JSON' };
  };

  for (const route of writeRoutes()) {
    const k = key(route);
    it(`${k}: answers malformed JSON with 400 (or, if it reads no body, as if there were none)`, async () => {
      const { auth, path, bodiless, readsBody } = await baseline(route);
      for (const raw of MALFORMED) {
        const r = await send(route, path, { ...auth, raw, headers: JSON_TYPE });
        check(`${k} with ${JSON.stringify(raw.slice(0, 40))}`, r);
        if (readsBody) expect(r.status, `${raw.slice(0, 40)} -> ${r.text.slice(0, 200)}`).toBe(400);
        else expect(r.status, `${raw.slice(0, 40)} -> ${r.text.slice(0, 200)}`).toBe(bodiless.status);
      }
    });

    it(`${k}: answers a valid JSON body under a wrong content type with 415 (or as if there were no body)`, async () => {
      const { p, auth, path, bodiless, readsBody } = await baseline(route);
      const raw = JSON.stringify(p.body?.() ?? {});
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'image/png',
        'application/jsonp',
        'application/json-seq',
        'json',
        '',
      ]) {
        const r = await send(route, path, { ...auth, raw, headers: type ? { 'content-type': type } : {} });
        check(`${k} as ${type || 'no content type'}`, r);
        expect(r.status, `${type} -> ${r.text.slice(0, 200)}`).toBe(readsBody ? 415 : bodiless.status);
      }
    });

    it(`${k}: answers a 3 MB body with 413 (or as if there were no body), and the 64 KB limit holds to the byte`, async () => {
      const { p, auth, path, bodiless, readsBody } = await baseline(route);
      const big = JSON.stringify({ ...(p.body?.() as object), pad: 'x'.repeat(3 << 20) });
      const r = await send(route, path, { ...auth, raw: big, headers: JSON_TYPE });
      check(`${k} 3 MB`, r);
      if (!readsBody) {
        expect(r.status, r.text.slice(0, 200)).toBe(bodiless.status);
        return;
      }
      expect(r.status, r.text.slice(0, 200)).toBe(413);
      // Exactly 64 KB is read (and refused for what it says, not for its size); one byte more is 413.
      const sized = (n: number) => {
        const head = '{"pad":"';
        return `${head}${'x'.repeat(n - head.length - 2)}"}`;
      };
      const at = await send(route, path, { ...auth, raw: sized(64 * 1024), headers: JSON_TYPE });
      check(`${k} 64 KB`, at);
      expect(at.status).not.toBe(413);
      const over = await send(route, path, { ...auth, raw: sized(64 * 1024 + 1), headers: JSON_TYPE });
      expect(over.status, over.text.slice(0, 200)).toBe(413);
      expect(hasErrorShape(over)).toBe(true);
    });
  }

  it('never answers raw bytes (invalid UTF-8, CESU surrogates, UTF-16, NUL) under any content type with a 5xx', async () => {
    const routesUnderTest = writeRoutes();
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.constantFrom(
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), // {"a":"<overlong />"}
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // CESU-8 lone surrogate
        Buffer.from('{"ward":"bimson"}', 'utf16le'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')]),
        Buffer.from('{"a":"\u0000"}\u0000'),
      ),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    );
    const type = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'APPLICATION/JSON',
      'application/problem+json',
      'text/plain',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: routesUnderTest.length - 1 }), bytes, type, async (i, raw, ct) => {
        const route = routesUnderTest[i] as RouteSpec;
        const p = plan(route);
        const r = await send(route, `${pathWith(route)}${p.query ?? ''}`, {
          ...(p.token ? { token: p.token } : {}),
          raw,
          headers: { 'content-type': ct },
        });
        check(`${key(route)} ${ct} ${raw.subarray(0, 40).toString('hex')}`, r);
      }),
      { numRuns: 200 },
    );
  });
});

// --- path tricks ---------------------------------------------------------------------------------

const PATH_TRICKS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2F',
  '%2f..%2f',
  '..%5C..%5C',
  '%00',
  '%2500',
  '%ZZ',
  '%',
  '%C0%AE%C0%AE',
  '%E2%80%AE',
  '%EF%BB%BF',
  '%ED%A0%80',
  '%FF%FE',
  '%F0%9F%98%80',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  '%20',
  '+',
  ';',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  'a'.repeat(5000),
  'H56.27.01-20260101-0001',
  '2019',
  '2061',
  '2100',
  'bimson',
  'quangtrung',
];

const trick = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PATH_TRICKS) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('upper', 'nul', 'lf', 'json', 'space', 'traverse', 'double').map((kind) => {
        const id = target.id as string;
        return {
          upper: id.toUpperCase(),
          nul: `${id}%00`,
          lf: `${id}%0A`,
          json: `${id}.json`,
          space: `%20${id}`,
          traverse: `${id}%2F..%2F${id}`,
          double: `${id}${id}`,
        }[kind] as string;
      }),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(enc) },
    { weight: 2, arbitrary: anyString.filter((x) => x.length > 0).map(enc) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 6000 }).map((n) => 'a'.repeat(n)) },
  );

describe('Route: path tricks in every path parameter of every route (property-based)', () => {
  for (const route of routes.filter((r) => r.path.includes('{'))) {
    const names = [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1] as string);
    it(`${key(route)} answers tricks in {${names.join('}, {')}} with a 4xx (never a 5xx, never another resource)`, async () => {
      const p = plan(route);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), trick(), async (name, value) => {
          const path = `${pathWith(route, { [name]: value })}${p.query ?? ''}`;
          const r = await send(route, path, {
            ...(p.token ? { token: p.token } : {}),
            ...(p.body ? { body: p.body() } : {}),
          });
          check(`${route.method} ${path.slice(0, 200)}`, r);
          // A trick that reaches some resource must not reach one outside the API (a file, the package).
          expect(r.text).not.toMatch(/"name":\s*"motcua"|root:x:0:0/);
        }),
        {
          numRuns: 60,
          // Always tried first: the tricks that once got a 5xx somewhere (so a regression is never left to chance).
          examples: names.flatMap((n): [string, string][] => [
            [n, 'a'.repeat(2100)],
            [n, 'hasOwnProperty'],
            [n, '__proto__'],
            [n, '2019'],
          ]),
        },
      );
    });
  }
});

// --- query strings -------------------------------------------------------------------------------

const ODD_VALUES = [
  '',
  '-1',
  '0',
  '-0',
  '1e309',
  'NaN',
  'Infinity',
  '0x10',
  '1.5',
  ' 1',
  '9'.repeat(400),
  'true',
  'null',
  'undefined',
  '[object Object]',
  '2026-02-30',
  '2026-13-01',
  '2026-1-1',
  '0000-01-01',
  '9999-12-31',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '2026-01-01T00:00:00+25:00',
  '2026-01-01T00:00:00.123456789Z',
  'json',
  'csv',
  'xml',
  'bimson',
  'quangtrung',
  '..',
  'x'.repeat(3000),
];
const queryValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_VALUES) },
  { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 2, arbitrary: anyString },
);

/** Query strings: the route's own keys (and some dangerous ones) with odd values, over a valid base. */
const QUERY_FUZZ: { route: string; base: string; keys: string[]; examples?: [string, string][][] }[] = [
  { route: 'GET /v1/dossiers', base: '', keys: ['status', 'dueBefore', 'overdue', 'procedureId', 'limit'] },
  { route: 'GET /v1/reports', base: 'from=2026-01-01&to=2026-01-31', keys: ['from', 'to', 'procedureId', 'format'] },
  {
    route: 'GET /v1/reports/public',
    base: `ward=${WARD}&from=2026-01-01&to=2026-01-31`,
    keys: ['ward', 'from', 'to', 'procedureId', 'format'],
  },
  {
    route: 'GET /v1/calendar/{ward}/add',
    base: 'from=2026-03-02T08:00:00%2B07:00&hours=8',
    keys: ['from', 'hours'],
    // Tried first every run: they once got a 5xx.
    examples: [[['from', '1970-01-01T00:00:00.000Z']], [['hours', '100000']]],
  },
  { route: 'GET /v1/admin/calendar/{year}', base: '', keys: ['year', 'ward'] },
  { route: 'GET /v1/procedures', base: `ward=${WARD}`, keys: ['ward', 'limit'] },
  { route: 'GET /v1/queue/board', base: 'point=badinh', keys: ['point', 'ward'] },
  { route: 'GET /v1/lookup/{dossierCode}', base: 'phone=1234', keys: ['phone'] },
  {
    route: 'GET /v1/payments/vnpay/ipn',
    base: 'vnp_TxnRef=X1&vnp_Amount=3000000&vnp_ResponseCode=00&vnp_TransactionStatus=00&vnp_SecureHash=00',
    keys: ['vnp_TxnRef', 'vnp_Amount', 'vnp_ResponseCode', 'vnp_TransactionStatus', 'vnp_SecureHash', 'vnp_TmnCode'],
  },
];

describe('Route: odd query strings on the list, report and calendar routes (property-based)', () => {
  for (const { route: k, base, keys, examples } of QUERY_FUZZ) {
    it(`${k} answers odd values of ${keys.join(', ')} with a 4xx or a 2xx, never a 5xx`, async () => {
      const route = routeOf(k);
      const p = plan(route);
      const pair = fc.tuple(
        fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...keys) },
          { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'status[]', '') },
          { weight: 1, arbitrary: anyString },
        ),
        queryValue,
      );
      await fc.assert(
        fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 4 }), fc.boolean(), async (pairs, repeat) => {
          // Over the valid base: each pair replaces the base's value (or, sometimes, repeats the key).
          const q0 = new URLSearchParams(base);
          const extra: string[] = [];
          for (const [a, b] of pairs) {
            if (!repeat) q0.delete(a);
            extra.push(`${enc(a)}=${enc(b)}`);
          }
          const q = [...(q0.size ? [q0.toString()] : []), ...extra].join('&');
          const path = `${pathWith(route)}?${q}`;
          const r = await send(route, path, p.token ? { token: p.token } : {});
          check(`GET ${path.slice(0, 300)}`, r);
        }),
        {
          numRuns: 120,
          examples: (examples ?? []).map((pairs): [[string, string][], boolean] => [pairs, false]),
        },
      );
    });
  }

  for (const [k, token] of [
    ['GET /v1/dossiers', 'receiver'],
    ['GET /v1/dossiers', 'citizen'],
    ['GET /v1/procedures', undefined],
  ] as const) {
    it(`${k} answers forged pagination cursors (${token ?? 'public'}) with a 4xx or a 2xx, never a 5xx`, async () => {
      const route = routeOf(k);
      const keyName = fc.constantFrom('PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'a');
      const keyValue = fc.oneof(
        fc.constantFrom(
          `DOSSIER#${target?.id}`,
          'DOSSIER',
          'WARD#bimson#DOSSIER',
          'WARD#quangtrung#DOSSIER',
          'OWNER#citizen-a',
          'OWNER#citizen-b',
          'PROC#x',
        ),
        fc.string(),
        fc.integer(),
        fc.jsonValue({ maxDepth: 1 }),
      );
      const cursor = fc.oneof(
        fc
          .dictionary(keyName, keyValue, { maxKeys: 5 })
          .map((o) => Buffer.from(JSON.stringify(o)).toString('base64url')),
        fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
        anyString.map(enc),
        fc.constantFrom('', '=', '%', 'x'.repeat(1999), 'x'.repeat(2001)),
      );
      await fc.assert(
        fc.asyncProperty(cursor, async (c) => {
          const path = `${pathWith(route)}?${k === 'GET /v1/procedures' ? `ward=${WARD}&` : ''}cursor=${c}`;
          const r = await send(route, path, token ? { token: t[token] } : {});
          check(`GET ${path.slice(0, 300)}`, r);
        }),
        { numRuns: 80, examples: [['e30'], ['eyJhIjoxfQ']] },
      );
    });
  }
});

// --- nothing half-written --------------------------------------------------------------------------

describe('Route: the fuzzed dossiers and catalog afterwards', () => {
  it('reached the handlers: every body-fuzzed route answered some requests with VALIDATION_FAILED, and no request was refused as unauthenticated', () => {
    for (const { route } of BODY_FUZZ) {
      expect(
        seen.get(route)?.get('400 VALIDATION_FAILED') ?? 0,
        `${route}: ${JSON.stringify([...(seen.get(route) ?? [])])}`,
      ).toBeGreaterThan(0);
    }
    for (const [route, m] of seen)
      expect(
        [...m.keys()].filter((k) => k.startsWith('401')),
        route,
      ).toEqual([]);
  });

  it('moved the target dossiers only by the requests that succeeded (same version and history otherwise)', async () => {
    for (const d of [target, withdrawTarget]) {
      expect(await state(d.id), `${d.id}; successes: ${succeeded.join('; ').slice(0, 2000)}`).toEqual(
        expected.get(d.id),
      );
    }
  });

  it('created a dossier only for a 201, and a procedure version only for a 2xx', async () => {
    // Citizen A's own list: the two targets, plus every 201 of the fuzzing.
    expect(await countMine(t.citizen as string)).toBe(2 + createdByFuzz);
    const p = await s.call('GET', `/v1/procedures/${fuzzProcedure.id}`);
    expect(p.json.version).toBe(fuzzProcedure.version + procedureWrites);
    const d = await s.call('GET', `/v1/procedures/${procedure.id}`);
    expect(d.json.version).toBe(procedure.version);
    // Only 2099 was fuzzed: this year's calendar is as it was.
    expect((await s.call('GET', '/v1/admin/calendar/2026', { token: t.admin })).json).toEqual(calendar);
  });
});
