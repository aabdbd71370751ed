import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => s?.stop());

describe('Catalog over HTTP against the local servers', () => {
  it('lists the seeded catalog of each ward, and only that ward', async () => {
    const bim = await s.call('GET', '/v1/procedures?ward=bimson');
    expect(bim.status).toBe(200);
    expect(bim.json.items.length).toBeGreaterThanOrEqual(5);
    expect(bim.json.items.every((p: { ward: string }) => p.ward === 'bimson')).toBe(true);
    const qt = await s.call('GET', '/v1/procedures?ward=quangtrung');
    expect(qt.json.items.every((p: { ward: string }) => p.ward === 'quangtrung')).toBe(true);
  });

  it('answers an unknown ward and an unknown procedure with 404 and a stable code', async () => {
    const w = await s.call('GET', '/v1/procedures?ward=nowhere');
    expect([w.status, w.json.error.code]).toEqual([404, 'WARD_NOT_FOUND']);
    const p = await s.call('GET', '/v1/procedures/no-such-procedure');
    expect([p.status, p.json.error.code]).toEqual([404, 'PROCEDURE_NOT_FOUND']);
    const q = await s.call('GET', '/v1/procedures');
    expect([q.status, q.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('lets an admin upsert an entry of their ward, versioned, and refuses others', async () => {
    const admin = await s.token('admin', 'admin-1', 'bimson');
    const body = {
      name: 'Thủ tục thử nghiệm',
      field: 'Hộ tịch',
      channels: ['full-online'],
      durationDays: 2,
      fee: 15000,
      documents: [{ id: 'to-khai', name: 'Tờ khai' }],
    };
    const first = await s.call('PUT', '/v1/admin/procedures/bimson-test-upsert', { token: admin, body });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ id: 'bimson-test-upsert', ward: 'bimson', version: 1, fee: 15000 });
    const second = await s.call('PUT', '/v1/admin/procedures/bimson-test-upsert', {
      token: admin,
      body: { ...body, fee: 20000 },
    });
    expect([second.status, second.json.version, second.json.fee]).toEqual([200, 2, 20000]);
    const read = await s.call('GET', '/v1/procedures/bimson-test-upsert');
    expect(read.json.fee).toBe(20000);

    const citizen = await s.token('citizen', 'c-1');
    const denied = await s.call('PUT', '/v1/admin/procedures/bimson-test-upsert', { token: citizen, body });
    expect([denied.status, denied.json.error.code]).toEqual([403, 'FORBIDDEN']);
    const otherAdmin = await s.token('admin', 'admin-2', 'quangtrung');
    const other = await s.call('PUT', '/v1/admin/procedures/bimson-test-upsert', { token: otherAdmin, body });
    expect([other.status, other.json.error.code]).toEqual([403, 'PROCEDURE_ID_OTHER_WARD']);
    const none = await s.call('PUT', '/v1/admin/procedures/bimson-test-upsert', { body });
    expect(none.status).toBe(401);
  });

  it('rejects bad upserts with 4xx and writes nothing', async () => {
    const admin = await s.token('admin', 'admin-1', 'bimson');
    const cases: [unknown, number, string][] = [
      [{ name: 42 }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', field: 'y', channels: [], durationDays: 1, fee: 0 }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', field: 'y', channels: ['counter'], durationDays: 1, fee: -5 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const r = await s.call('PUT', '/v1/admin/procedures/test-bad', { token: admin, body });
      expect([r.status, r.json.error.code]).toEqual([status, code]);
    }
    const malformed = await s.call('PUT', '/v1/admin/procedures/test-bad', {
      token: admin,
      raw: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect([malformed.status, malformed.json.error.code]).toEqual([400, 'MALFORMED_JSON']);
    const text = await s.call('PUT', '/v1/admin/procedures/test-bad', {
      token: admin,
      raw: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect([text.status, text.json.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const badId = await s.call('PUT', `/v1/admin/procedures/${encodeURIComponent('../x')}`, { token: admin, body: {} });
    expect(badId.status).toBe(400);
    expect((await s.call('GET', '/v1/procedures/test-bad')).status).toBe(404);
  });

  it('serves a QR code per procedure, the OpenAPI document and the reference page without a CDN', async () => {
    const list = await s.call('GET', '/v1/procedures?ward=bimson');
    const qr = await s.call('GET', `/v1/procedures/${list.json.items[0].id}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(qr.text).toContain('<svg');
    const api = await s.call('GET', '/openapi.json');
    expect(api.json.openapi).toMatch(/^3\./);
    expect(Object.keys(api.json.paths)).toContain('/v1/procedures/{procedureId}');
    expect(api.json.paths['/v1/admin/procedures/{procedureId}'].put.requestBody).toBeDefined();
    const docs = await s.call('GET', '/docs');
    expect(docs.text).toMatch(/<html/i);
    expect(docs.text).not.toMatch(/https?:\/\//);
    const asset = await s.call('GET', '/docs/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect(asset.text.length).toBeGreaterThan(100_000);
  });
});
