/**
 * Kiosks sign in as devices (issue 18.2): an admin registers a kiosk and is shown its client id and
 * secret once (only a hash is stored); the kiosk exchanges them for a short-lived token that takes
 * queue numbers at its ward; a revoked kiosk's credentials no longer work, and what it already
 * holds expires within minutes. Wrong secrets, other wards and other roles are refused.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#functions/adapters/clients.ts';
import { KIOSK_TOKEN_TTL_S } from '#shared/use-cases/kiosks.ts';
import { type Res, startTrustStack, type TrustStack } from './trust-stack.ts';

let s: TrustStack;
let admin: string;

const exchange = (id: string, secret: string, how: 'basic' | 'body' = 'basic'): Promise<Res> =>
  s.call('POST', '/v1/kiosk/token', {
    body:
      how === 'basic'
        ? { grant_type: 'client_credentials' }
        : { grant_type: 'client_credentials', client_id: id, client_secret: secret },
    ...(how === 'basic'
      ? { headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` } }
      : {}),
  });

const ticket = (token: string, point = 'badinh') =>
  s.call('POST', '/v1/queue/tickets', { token, body: { point, group: 'hotich' } });

beforeAll(async () => {
  s = await startTrustStack({ signing: false });
  admin = await s.token('admin', 'admin-1', 'bimson');
});
afterAll(async () => s?.stop());

describe('Route: kiosk device credentials', () => {
  it('registers a kiosk, shows the secret once, stores only its hash, and the credential takes a number', async () => {
    const reg = await s.call('POST', '/v1/admin/kiosks', {
      token: admin,
      body: { point: 'badinh', name: 'Ki-ốt sảnh' },
    });
    expect(reg.status, reg.text).toBe(201);
    expect(reg.json).toMatchObject({ ward: 'bimson', point: 'badinh', status: 'active' });
    const { clientId, clientSecret } = reg.json;
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { PK: `KIOSK#${clientId}`, SK: 'KIOSK' } }),
    );
    expect(JSON.stringify(stored.Item)).not.toContain(clientSecret);
    expect(stored.Item?.secretHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const list = await s.call('GET', '/v1/admin/kiosks', { token: admin });
    expect(list.json.items.map((k: any) => k.clientId)).toContain(clientId);
    expect(list.text).not.toContain(clientSecret);
    expect(list.text).not.toContain('secretHash');

    for (const how of ['basic', 'body'] as const) {
      const t = await exchange(clientId, clientSecret, how);
      expect(t.status, t.text).toBe(200);
      expect(t.json).toMatchObject({ token_type: 'Bearer', expires_in: KIOSK_TOKEN_TTL_S });
      const claims = decodeJwt(t.json.access_token);
      expect(claims).toMatchObject({ sub: clientId, role: 'kiosk', ward: 'bimson', point: 'badinh' });
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(KIOSK_TOKEN_TTL_S);
      const n = await ticket(t.json.access_token);
      expect(n.status, n.text).toBe(201);
    }
  });

  it('refuses a revoked kiosk: the exchange is 401 at once, and its last token expires within the TTL', async () => {
    const reg = await s.call('POST', '/v1/admin/kiosks', { token: admin, body: { point: 'havinh' } });
    const { clientId, clientSecret } = reg.json;
    const before = await exchange(clientId, clientSecret);
    expect(before.status).toBe(200);
    const other = await s.token('admin', 'admin-qt', 'quangtrung');
    const foreign = await s.call('DELETE', `/v1/admin/kiosks/${clientId}`, { token: other });
    expect([foreign.status, foreign.json.error.code]).toEqual([404, 'KIOSK_NOT_FOUND']);
    const revoked = await s.call('DELETE', `/v1/admin/kiosks/${clientId}`, { token: admin });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ status: 'revoked', revokedBy: 'admin-1' });
    for (const how of ['basic', 'body'] as const) {
      const after = await exchange(clientId, clientSecret, how);
      expect([after.status, after.json?.error?.code], after.text).toEqual([401, 'INVALID_CLIENT']);
    }
    // The token it got before is short-lived: the gateway refuses it once expired.
    const claims = decodeJwt(before.json.access_token);
    expect((claims.exp ?? 0) * 1000).toBeLessThanOrEqual(Date.now() + KIOSK_TOKEN_TTL_S * 1000);
    const expired = await s.sign({
      ...claims,
      iat: (claims.exp ?? 0) - KIOSK_TOKEN_TTL_S - 1,
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    expect((await ticket(expired, 'havinh')).status).toBe(401);
  });

  it('answers an unknown client, a wrong secret, a malformed request and a non-admin alike: no token', async () => {
    const reg = await s.call('POST', '/v1/admin/kiosks', { token: admin, body: { point: 'badinh' } });
    const { clientId, clientSecret } = reg.json;
    for (const [id, secret] of [
      // The last character changed (to another one: a secret may already end in 'A').
      [clientId, `${clientSecret.slice(0, -1)}${clientSecret.endsWith('A') ? 'B' : 'A'}`],
      [clientId, ''],
      ['kiosk-000000000000000000000000', clientSecret],
      ['../KIOSK', clientSecret],
    ] as const) {
      const r = await exchange(id, secret);
      expect(r.status, `${id}: ${r.text}`).toBe(401);
    }
    const noGrant = await s.call('POST', '/v1/kiosk/token', {
      body: { client_id: clientId, client_secret: clientSecret },
    });
    expect(noGrant.status).toBe(400);
    const receiver = await s.token('receiver', 'rcv-1', 'bimson');
    expect((await s.call('POST', '/v1/admin/kiosks', { token: receiver, body: { point: 'badinh' } })).status).toBe(403);
    const badPoint = await s.call('POST', '/v1/admin/kiosks', { token: admin, body: { point: 'nowhere' } });
    expect([badPoint.status, badPoint.json.error.code]).toEqual([422, 'POINT_NOT_FOUND']);
  });

  it("a kiosk of one ward cannot take numbers at another ward's point (403 OTHER_WARD)", async () => {
    const reg = await s.call('POST', '/v1/admin/kiosks', { token: admin, body: { point: 'badinh' } });
    const t = await exchange(reg.json.clientId, reg.json.clientSecret);
    const r = await ticket(t.json.access_token, 'trungtam');
    expect([r.status, r.json?.error?.code], r.text).toEqual([403, 'OTHER_WARD']);
  });

  it('publishes the issuer discovery document and its key', async () => {
    const d = await s.call('GET', '/.well-known/openid-configuration');
    expect(d.status).toBe(200);
    expect(d.json.token_endpoint).toMatch(/\/v1\/kiosk\/token$/);
    const k = await s.call('GET', '/.well-known/jwks.json');
    expect(k.json.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(k.json.keys[0].d).toBeUndefined();
  });
});
