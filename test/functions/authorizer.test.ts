import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The API authorizer against tokens signed by jose with real key pairs, its keys found through each
 * issuer's OpenID discovery document served on loopback, as Cognito and VNeID publish theirs.
 */
type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let server: Server;
let base = '';
let staffKeys: Keys;
let vneidKeys: Keys;
let strangerKeys: Keys;
let authorize: (event: APIGatewayRequestAuthorizerEventV2) => Promise<{ isAuthorized: boolean; context?: unknown }>;
let api: (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode?: number; body?: string }>;

const WEB_CLIENT = 'web-client-1';
const VNEID_CLIENT = 'motcua-bimson';
const staffIssuer = () => `${base}/pool`;
const vneidIssuer = () => `${base}/vneid`;
const DOWN_ISSUER = () => `${base}/down`;

async function sign(keys: Keys, alg: string, kid: string, claims: JWTPayload, exp = '10m'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid })
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(keys.privateKey);
}
const staffToken = (claims: JWTPayload, exp?: string) =>
  sign(
    staffKeys,
    'RS256',
    'pool-1',
    { iss: staffIssuer(), sub: 'u-1', token_use: 'id', aud: WEB_CLIENT, ...claims },
    exp,
  );
const vneidToken = (claims: JWTPayload, exp?: string) =>
  sign(vneidKeys, 'ES256', 'vneid-1', { iss: vneidIssuer(), sub: 'vneid-77', aud: VNEID_CLIENT, ...claims }, exp);

const authEvent = (token: string): APIGatewayRequestAuthorizerEventV2 =>
  ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:ap-southeast-1:123456789012:api/$default/GET/v1/dossiers',
    identitySource: [`Bearer ${token}`],
    routeKey: 'GET /v1/dossiers',
    headers: { authorization: `Bearer ${token}` },
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

const claimsOf = async (token: string) => {
  const r = await authorize(authEvent(token));
  expect(r.isAuthorized).toBe(true);
  return r.context;
};

beforeAll(async () => {
  staffKeys = await generateKeyPair('RS256');
  vneidKeys = await generateKeyPair('ES256');
  strangerKeys = await generateKeyPair('RS256');
  const jwk = async (k: Keys, kid: string, alg: string): Promise<JWK> => ({
    ...(await exportJWK(k.publicKey)),
    kid,
    alg,
    use: 'sig',
  });
  const sets: Record<string, { keys: JWK[] }> = {
    pool: { keys: [await jwk(staffKeys, 'pool-1', 'RS256')] },
    vneid: { keys: [await jwk(vneidKeys, 'vneid-1', 'ES256')] },
  };
  server = createServer((req, res) => {
    const [, name, rest] = /^\/([a-z]+)(\/.*)$/.exec(req.url ?? '') ?? [];
    if (name === 'down') {
      res.writeHead(503).end();
      return;
    }
    if (name && sets[name] && rest === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: `${base}/${name}`, jwks_uri: `${base}/${name}/keys` }));
    } else if (name && sets[name] && rest === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(sets[name]));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.MOTCUA_TRUSTED_ISSUERS = JSON.stringify([
    { kind: 'staff', issuer: staffIssuer(), audience: WEB_CLIENT },
    { kind: 'vneid', issuer: vneidIssuer(), audience: VNEID_CLIENT, idNumberClaim: 'citizen_id' },
    { kind: 'vneid', issuer: DOWN_ISSUER(), audience: VNEID_CLIENT },
  ]);
  ({ handler: authorize } = (await import('../../functions/authorizer.ts')) as unknown as {
    handler: typeof authorize;
  });
  ({ handler: api } = (await import('../../functions/calendar.ts')) as unknown as { handler: typeof api });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('Function: authorizer', () => {
  it("passes a pool user's role, ward and expiry, from an ID token for the web client or its access token", async () => {
    const id = await claimsOf(await staffToken({ role: 'receiver', ward: 'bimson', name: 'Lê Thị Hoa' }));
    expect(id).toMatchObject({ sub: 'u-1', role: 'receiver', ward: 'bimson', name: 'Lê Thị Hoa' });
    expect(typeof (id as { exp: unknown }).exp).toBe('number');
    // An access token names the client in `client_id` and has no `aud`.
    const access = await claimsOf(
      await sign(staffKeys, 'RS256', 'pool-1', {
        iss: staffIssuer(),
        sub: 'u-1',
        token_use: 'access',
        client_id: WEB_CLIENT,
        role: 'leader',
        ward: 'bimson',
      }),
    );
    expect(access).toMatchObject({ sub: 'u-1', role: 'leader', ward: 'bimson' });
  });

  it('makes whoever VNeID vouches for a citizen, with the identity number of the named claim, and nothing more', async () => {
    const c = await claimsOf(await vneidToken({ citizen_id: '038095001234', role: 'admin', ward: 'bimson' }));
    expect(c).toEqual({ sub: 'vneid-77', role: 'citizen', idNumber: '038095001234', exp: expect.any(Number) });
    // A malformed number is left out, not trusted.
    expect(await claimsOf(await vneidToken({ citizen_id: '12ab' }))).toEqual({
      sub: 'vneid-77',
      role: 'citizen',
      exp: expect.any(Number),
    });
  });

  it('vouches for nothing when the audience, issuer, key, algorithm, expiry or role is not right', async () => {
    const none = {};
    expect(await claimsOf(await staffToken({ role: 'receiver', aud: 'another-client' }))).toEqual(none);
    expect(await claimsOf(await vneidToken({ aud: 'another-app' }))).toEqual(none);
    expect(await claimsOf(await staffToken({ role: 'receiver' }, '-5m'))).toEqual(none);
    // The pool's issuer and key id, signed with somebody else's key.
    const forged = await sign(strangerKeys, 'RS256', 'pool-1', {
      iss: staffIssuer(),
      sub: 'u-1',
      token_use: 'id',
      aud: WEB_CLIENT,
      role: 'admin',
    });
    expect(await claimsOf(forged)).toEqual(none);
    // An issuer nobody trusts, and an unsigned token.
    expect(await claimsOf(await staffToken({ iss: 'https://evil.example', role: 'admin' }))).toEqual(none);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: staffIssuer(), sub: 'u-1', aud: WEB_CLIENT, role: 'admin', exp: 9_999_999_999 }),
    ).toString('base64url')}.`;
    expect(await claimsOf(unsigned)).toEqual(none);
    expect(await claimsOf('not-a-jwt')).toEqual(none);
    // Kiosks have tokens of their own issuer; a pool user without a usable role is nobody.
    expect(await claimsOf(await staffToken({ role: 'kiosk', ward: 'bimson' }))).toEqual(none);
    expect(await claimsOf(await staffToken({}))).toEqual(none);
  });

  it("fails (an outage, alarmed) rather than answering when a trusted issuer's keys cannot be had", async () => {
    const token = await sign(vneidKeys, 'ES256', 'vneid-1', { iss: DOWN_ISSUER(), sub: 'x', aud: VNEID_CLIENT });
    await expect(authorize(authEvent(token))).rejects.toThrow(/503/);
  });
});

describe('Function: the handlers behind it', () => {
  const event = (lambda: Record<string, unknown>): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: 'GET /v1/admin/calendar/{year}',
      rawPath: '/v1/admin/calendar/2026',
      rawQueryString: '',
      headers: {},
      pathParameters: { year: '2026' },
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        apiId: 'api',
        domainName: 'api.example',
        domainPrefix: 'api',
        http: {
          method: 'GET',
          path: '/v1/admin/calendar/2026',
          protocol: 'HTTP/1.1',
          sourceIp: '203.0.113.1',
          userAgent: 'test',
        },
        requestId: 'r-1',
        routeKey: 'GET /v1/admin/calendar/{year}',
        stage: '$default',
        time: '',
        timeEpoch: 0,
        authorizer: { lambda },
      },
    }) as unknown as APIGatewayProxyEventV2;
  const status = async (lambda: Record<string, unknown>) =>
    (await api(event(lambda), { awsRequestId: 'r-1', functionName: 'calendar' } as Context)).statusCode;
  const future = Math.floor(Date.now() / 1000) + 600;

  it("read the authorizer's claims: a citizen on an admin route is 403", async () => {
    expect(await status({ sub: 'vneid-77', role: 'citizen', exp: future })).toBe(403);
  });

  it("answer 401 when the authorizer vouched for nothing, or its cached answer outlived the token's expiry", async () => {
    expect(await status({})).toBe(401);
    expect(await status({ sub: 'u-1', role: 'admin', ward: 'bimson' })).toBe(401);
    expect(await status({ sub: 'u-1', role: 'admin', ward: 'bimson', exp: Math.floor(Date.now() / 1000) - 1 })).toBe(
      401,
    );
  });
});
