/**
 * The public guessing routes cannot be turned against citizens (issue 18.3): lookup attempts are
 * counted per client (source IP) and code, atomically, so a stranger's misses, one by one or all
 * at once, never lock the citizen out; a per-IP rate limit sits in front of lookup and verify; names
 * with invisible, bidirectional or tag characters are refused with a stable code; public masks are
 * cut by grapheme and stay well-formed Unicode; procedure ids belong to their ward.
 *
 * Clients are told apart by their source address: on Linux the whole 127.0.0.0/8 is loopback, so
 * a request bound to 127.0.0.2 comes from "another machine" as far as the gateway can tell.
 */
import { request } from 'node:http';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#functions/adapters/clients.ts';
import { LOOKUP_FAILURES_PER_HOUR } from '#shared/use-cases/lookup.ts';
import { PUBLIC_RATE_LIMIT } from '#wiring/manifest.ts';
import { applicant, type Res, startTrustStack, type TrustStack } from './trust-stack.ts';

let s: TrustStack;
let citizen: string;
let procedureId: string;

/** A GET from a given local source address (a distinct client to the gateway). */
function getFrom(localAddress: string, path: string): Promise<Res> {
  const url = new URL(s.base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const lookupPath = (code: string, phone: string) => `/v1/lookup/${encodeURIComponent(code)}?phone=${phone}`;
const outcome = (r: Res) => `${r.status} ${r.json?.error?.code ?? ''}`.trim();

async function submit(fullName: string, n: number): Promise<Res> {
  return s.call('POST', '/v1/dossiers', {
    token: citizen,
    body: { ward: 'bimson', procedureId, channel: 'online', applicant: { ...applicant(n), fullName } },
  });
}

beforeAll(async () => {
  // A stack of its own: it spends the per-IP limit of the public routes, which is the stack's.
  s = await startTrustStack({ signing: false, own: true });
  citizen = await s.token('citizen', 'citizen-lookup');
  const list = await s.call('GET', '/v1/procedures?ward=bimson');
  procedureId = list.json.items.find((p: any) => p.channels.some((c: string) => c !== 'counter')).id;
});
afterAll(async () => s?.stop());

describe('Route: GET /v1/lookup/{dossierCode} against a stranger', () => {
  it("a stranger's misses lock out the stranger, never the citizen", async () => {
    const d = await submit('Nguyễn Văn An', 1);
    expect(d.status, d.text).toBe(201);
    const phone = applicant(1).phone.slice(-4);
    for (let i = 0; i < LOOKUP_FAILURES_PER_HOUR; i++)
      expect(outcome(await getFrom('127.0.0.2', lookupPath(d.json.code, `999${i}`)))).toBe('404 DOSSIER_NOT_FOUND');
    // The stranger is now refused, even with the right digits...
    expect(outcome(await getFrom('127.0.0.2', lookupPath(d.json.code, phone)))).toBe('429 TOO_MANY_ATTEMPTS');
    // ...and the citizen, from their own address, is not.
    const mine = await getFrom('127.0.0.1', lookupPath(d.json.code, phone));
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json).toMatchObject({ code: d.json.code, applicant: 'N. V. An' });
    // Right lookups are not misses: the citizen can look as often as they like.
    for (let i = 0; i < LOOKUP_FAILURES_PER_HOUR + 2; i++)
      expect((await getFrom('127.0.0.1', lookupPath(d.json.code, phone))).status).toBe(200);
  });

  it('concurrent guesses cannot get past the limit: of 40 at once exactly the limit are answered, the rest refused', async () => {
    const d = await submit('Trần Thị Bình', 2);
    expect(d.status, d.text).toBe(201);
    const guesses = Array.from({ length: 40 }, (_, i) =>
      getFrom('127.0.0.3', lookupPath(d.json.code, String(1000 + i).slice(-4))),
    );
    const answers = (await Promise.all(guesses)).map(outcome);
    const tally: Record<string, number> = {};
    for (const a of answers) tally[a] = (tally[a] ?? 0) + 1;
    expect(tally).toEqual({ '404 DOSSIER_NOT_FOUND': LOOKUP_FAILURES_PER_HOUR, '429 TOO_MANY_ATTEMPTS': 35 });
    // One counter item per client, code and hour, and it never went past the limit.
    const hour = new Date().toISOString().slice(0, 13);
    const item = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { PK: `LOOKUP#${d.json.code}`, SK: `TRY#${hour}#127.0.0.3` } }),
    );
    expect(item.Item?.n).toBe(LOOKUP_FAILURES_PER_HOUR);
    // Meanwhile the citizen still gets their answer.
    expect((await getFrom('127.0.0.1', lookupPath(d.json.code, applicant(2).phone.slice(-4)))).status).toBe(200);
  });
});

describe('Route: the per-IP rate limit in front of lookup and verify', () => {
  it(`answers 429 RATE_LIMITED past ${PUBLIC_RATE_LIMIT.requests} requests of one IP (lookup and verify together), and only to that IP`, async () => {
    // The limiter's windows are fixed, at multiples of windowS of the wall clock (local/rate-limit.ts):
    // a run that straddled the end of one would start counting anew. With under 15 s of the window
    // left (a loaded machine takes seconds for these requests), wait for the next one.
    const windowMs = PUBLIC_RATE_LIMIT.windowS * 1000;
    const left = windowMs - (Date.now() % windowMs);
    if (left < 15_000) await new Promise((r) => setTimeout(r, left + 50));
    const results: string[] = [];
    for (let i = 0; i < PUBLIC_RATE_LIMIT.requests; i++) {
      const path =
        i % 2 ? `/v1/verify/H56.27.01-20260101-${9000 + i}` : lookupPath(`H56.27.01-20260102-${9000 + i}`, '1234');
      results.push(outcome(await getFrom('127.0.0.4', path)));
    }
    expect(results.filter((r) => r.startsWith('429 RATE_LIMITED'))).toEqual([]);
    const over = await getFrom('127.0.0.4', '/v1/verify/H56.27.01-20260101-0001');
    expect(outcome(over)).toBe('429 RATE_LIMITED');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(outcome(await getFrom('127.0.0.4', lookupPath('H56.27.01-20260102-0001', '1234')))).toBe('429 RATE_LIMITED');
    // Another client is not affected, and neither are the other public routes.
    expect(outcome(await getFrom('127.0.0.5', '/v1/verify/H56.27.01-20260101-0001'))).toBe(
      '404 SIGNED_RESULT_NOT_FOUND',
    );
    expect((await getFrom('127.0.0.4', '/v1/procedures?ward=bimson')).status).toBe(200);
  });
});

describe('Route: POST /v1/dossiers refuses names with invisible characters; masks stay valid Unicode', () => {
  const INVISIBLE: [string, string][] = [
    ...[0x200b, 0x200c, 0x200d, 0x200e, 0x200f].map((c): [string, string] => [c.toString(16), String.fromCodePoint(c)]),
    ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e].map((c): [string, string] => [c.toString(16), String.fromCodePoint(c)]),
    ...[0x2066, 0x2067, 0x2068, 0x2069].map((c): [string, string] => [c.toString(16), String.fromCodePoint(c)]),
    ...[0xe0001, 0xe0041, 0xe007f].map((c): [string, string] => [c.toString(16), String.fromCodePoint(c)]),
    ['feff', '\ufeff'],
    ['61c', '\u061c'],
    ['ad', '\u00ad'],
  ];

  it('answers 400 INVISIBLE_CHARACTERS for each, wherever in the name, and creates nothing', async () => {
    const before = await s.call('GET', '/v1/dossiers?limit=100', { token: citizen });
    for (const [hex, ch] of INVISIBLE) {
      for (const name of [`${ch}Nguyễn Văn An`, `Nguyễn${ch} Văn An`, `Nguyễn Văn An${ch}`]) {
        const r = await submit(name, 3);
        expect([r.status, r.json?.error?.code], `U+${hex}: ${r.text}`).toEqual([400, 'INVISIBLE_CHARACTERS']);
      }
    }
    const after = await s.call('GET', '/v1/dossiers?limit=100', { token: citizen });
    expect(after.json.items.length).toBe(before.json.items.length);
  });

  it('masks by grapheme: an emoji or a decomposed letter first is kept whole, and the mask is well-formed', async () => {
    for (const [n, name, mask] of [
      [4, '😀 Văn An', '😀. V. An'],
      [5, '👍🏽 Thị Hoa', '👍🏽. T. Hoa'],
      [6, `${'Ễ'.normalize('NFD')}ng Thị Lan`, 'Ễ. T. Lan'],
      [7, '𝕹𝖌𝖚𝖞𝖊𝖓 Văn Ba', '𝕹. V. Ba'],
    ] as const) {
      const d = await submit(name, n);
      expect(d.status, d.text).toBe(201);
      const r = await getFrom('127.0.0.1', lookupPath(d.json.code, applicant(n).phone.slice(-4)));
      expect(r.status, r.text).toBe(200);
      expect(r.json.applicant).toBe(mask);
      expect((r.json.applicant as string).isWellFormed()).toBe(true);
    }
  });
});

describe('Route: PUT /v1/admin/procedures/{procedureId} keeps ids with their ward', () => {
  const body = {
    name: 'Thủ tục thử',
    field: 'Hộ tịch',
    channels: ['counter'],
    durationDays: 1,
    fee: 0,
    documents: [{ id: 'to-khai', name: 'Tờ khai' }],
  };

  it("refuses an id of another ward's prefix (used or not yet), and takes one of its own", async () => {
    const other = await s.token('admin', 'admin-qt', 'quangtrung');
    const own = await s.token('admin', 'admin-bs', 'bimson');
    for (const id of ['bimson-dang-ky-khai-sinh', 'bimson-thu-tuc-chua-co', 'bimson']) {
      const r = await s.call('PUT', `/v1/admin/procedures/${id}`, { token: other, body });
      expect([r.status, r.json?.error?.code], `${id}: ${r.text}`).toEqual([403, 'PROCEDURE_ID_OTHER_WARD']);
    }
    expect((await s.call('GET', '/v1/procedures/bimson-thu-tuc-chua-co')).status).toBe(404);
    const mine = await s.call('PUT', '/v1/admin/procedures/quangtrung-thu-tuc-moi', { token: other, body });
    expect(mine.status, mine.text).toBe(201);
    const theirs = await s.call('PUT', '/v1/admin/procedures/bimson-thu-tuc-chua-co', { token: own, body });
    expect(theirs.status, theirs.text).toBe(201);
  });

  it('gives an id outside every ward prefix to the first ward that takes it, and refuses it to the others', async () => {
    const other = await s.token('admin', 'admin-qt', 'quangtrung');
    const own = await s.token('admin', 'admin-bs', 'bimson');
    const first = await s.call('PUT', '/v1/admin/procedures/thu-tuc-chung-1', { token: own, body });
    expect(first.status, first.text).toBe(201);
    const second = await s.call('PUT', '/v1/admin/procedures/thu-tuc-chung-1', { token: other, body });
    expect(second.status, second.text).toBe(403);
    expect((await s.call('GET', '/v1/procedures/thu-tuc-chung-1')).json.ward).toBe('bimson');
  });
});
