/**
 * The trust suites' view of the local stack: the same runtime as test/helpers/stack.ts (shared by
 * the files of the process unless a file asks for its own), but
 *  - a test can sign tokens with the stack's OWN key and prove that a token with a valid signature
 *    is still refused for its claims (expired, another audience or issuer, no exp, unknown role,
 *    no ward);
 *  - requests go out over node:http with the path exactly as written (fetch would resolve `..`
 *    and `%2e%2e` before sending, and the gateway would never see the trick).
 */
import { createHash, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:http';
import { importJWK, type JWK, SignJWT } from 'jose';
import { expect } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { sharedStack, startStack } from '../helpers/stack.ts';

const ISSUER = 'urn:motcua:local';
const AUDIENCE = 'motcua-local';

export interface Res {
  readonly status: number;
  readonly text: string;
  readonly json: any;
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface CallOptions {
  readonly token?: string | undefined;
  /** Serialized as JSON with `content-type: application/json` unless a content type is given. */
  readonly body?: unknown;
  /** Sent byte for byte; no content type is added. */
  readonly raw?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** A raw Authorization header (overrides `token`). */
  readonly authorization?: string;
}

export interface TrustStack {
  readonly rt: Runtime;
  readonly base: string;
  /** `path` is sent verbatim: no normalisation, no encoding. */
  call(method: string, path: string, o?: CallOptions): Promise<Res>;
  /** A token from the stack's own issuer (POST /local/token). */
  token(role: string, sub: string, ward?: string): Promise<string>;
  /** Signs exactly these claims with the stack's own private key (RS256, its kid). */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** The stack's public key, as a KeyObject (for alg-confusion probes). */
  readonly publicKey: KeyObject;
  stop(): Promise<void>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function send(base: string, method: string, path: string, o: CallOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.authorization !== undefined) headers.authorization = o.authorization;
  else if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: Buffer | undefined;
  if (o.raw !== undefined) body = Buffer.isBuffer(o.raw) ? o.raw : Buffer.from(o.raw, 'utf8');
  else if (o.body !== undefined) {
    body = Buffer.from(JSON.stringify(o.body), 'utf8');
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  if (body) headers['content-length'] = String(body.length);
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The stack: the process's shared one, or with `own` one of the file's own (for a file that
 * floods the per-IP limit or writes arbitrary catalog entries; it runs in the int-own project).
 * With `signing` (the default) `sign` signs with the stack's own token key; without it `sign`
 * signs with a key of its own that the stack does not trust.
 */
export async function startTrustStack(o: { signing?: boolean; own?: boolean } = {}): Promise<TrustStack> {
  const signing = o.signing ?? true;
  const stack = o.own ? await startStack() : await sharedStack();
  const rt = stack.rt;
  const privateJwk = signing
    ? rt.issuer.signingJwk()
    : ({
        ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
        kid: 'untrusted',
      } as JWK);
  const privateKey = await importJWK(privateJwk, 'RS256');
  const { d, p, q, dp, dq, qi, ...publicJwk } = privateJwk;
  const publicKey = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
  const base = rt.baseUrl;
  const call: TrustStack['call'] = (method, path, o) => send(base, method, path, o);
  return {
    rt,
    base,
    call,
    publicKey,
    token: async (role, sub, ward) => {
      // A helper works for one residential group of the ward (the seed's first one here).
      const group = role === 'helper' ? { residentialGroup: 'tdp-01' } : {};
      const r = await call('POST', '/local/token', { body: { role, sub, ...(ward ? { ward } : {}), ...group } });
      if (r.status !== 200) throw new Error(`token ${role}: ${r.status} ${r.text}`);
      return r.json.access_token as string;
    },
    sign: (claims, header = {}) =>
      new SignJWT(claims as Record<string, unknown>)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: privateJwk.kid, ...header } as { alg: string })
        .sign(privateKey),
    stop: () => stack.stop(),
  };
}

// --- tokens that must all be refused ------------------------------------------------------------

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

/** Well-formed claims of a token the stack would accept. */
export const goodClaims = (role: string, sub: string, ward?: string): Record<string, unknown> => ({
  role,
  sub,
  ...(ward ? { ward } : {}),
  iss: ISSUER,
  aud: AUDIENCE,
  iat: nowS() - 5,
  exp: nowS() + 3600,
});

/**
 * Every way a bearer token can be wrong. `valid` is a genuine token of the stack (for tampering);
 * the claims are those of an admin of `ward`, so a token that slipped through would be obvious.
 */
export async function badTokens(s: TrustStack, valid: string, ward: string): Promise<[string, string][]> {
  const [h64, p64, sig] = valid.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h64, 'base64url').toString('utf8')) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(p64, 'base64url').toString('utf8')) as Record<string, unknown>;
  const admin = { ...claims, role: 'admin', ward };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = await new SignJWT(admin).setProtectedHeader(header as { alg: string }).sign(privateKey);
  const hmacKey = new Uint8Array(Buffer.from(s.publicKey.export({ format: 'pem', type: 'spki' }) as string));
  const hs256 = await new SignJWT(admin)
    .setProtectedHeader({ ...header, alg: 'HS256' } as { alg: string })
    .sign(hmacKey);
  const t = nowS();
  return [
    ['a token signed by another RSA key (forged)', foreign],
    ['a tampered payload with the original signature', `${h64}.${b64(admin)}.${sig}`],
    ['alg: none without a signature', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(admin)}.`],
    ['alg: none with the original signature', `${b64({ ...header, alg: 'none' })}.${p64}.${sig}`],
    ['HS256 keyed with the public key (alg confusion)', hs256],
    ['a tampered exp with the original signature', `${h64}.${b64({ ...claims, exp: t + 86400 * 365 })}.${sig}`],
    ['an expired token signed by the stack', await s.sign({ ...admin, iat: t - 7200, exp: t - 3600 })],
    ['a token without exp signed by the stack', await s.sign(omit(admin, 'exp'))],
    ['a token not valid before tomorrow signed by the stack', await s.sign({ ...admin, nbf: t + 86400 })],
    ['another audience signed by the stack', await s.sign({ ...admin, aud: 'motcua-prod' })],
    ['another issuer signed by the stack', await s.sign({ ...admin, iss: 'urn:motcua:evil' })],
    ['no issuer signed by the stack', await s.sign(omit(admin, 'iss'))],
    ['no subject signed by the stack', await s.sign(omit(admin, 'sub'))],
    ['an unknown role signed by the stack', await s.sign({ ...admin, role: 'superadmin' })],
    ['a role that is not a string signed by the stack', await s.sign({ ...admin, role: ['admin'] })],
    ['a truncated token', valid.slice(0, -10)],
    ['garbage', 'not.a.jwt'],
    ['an empty bearer', ''],
  ];
}

function omit(o: Record<string, unknown>, k: string): Record<string, unknown> {
  const { [k]: _, ...rest } = o;
  return rest;
}

// --- assertions ---------------------------------------------------------------------------------

/** `{ error: { code, message } }` with a non-empty stable code and a message. */
export function hasErrorShape(r: Res): boolean {
  const e = r.json?.error;
  return (
    !!e &&
    typeof e === 'object' &&
    typeof e.code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(e.code) &&
    typeof e.message === 'string' &&
    e.message.length > 0
  );
}

const show = (what: string, r: Res) => `${what} -> HTTP ${r.status} ${r.text.slice(0, 300)}`;

/** A refusal: one of `statuses`, with the error shape. */
export function expectRefused(what: string, r: Res, statuses: readonly number[]): void {
  expect(statuses, show(what, r)).toContain(r.status);
  expect(hasErrorShape(r), show(what, r)).toBe(true);
}

/** Anything but a 5xx; a 4xx carries the error shape; a 2xx is fine. */
export function expectNo5xx(what: string, r: Res): void {
  expect(r.status, show(what, r)).toBeGreaterThanOrEqual(200);
  expect(r.status, show(what, r)).toBeLessThan(500);
  if (r.status >= 400) expect(hasErrorShape(r), show(what, r)).toBe(true);
}

/** A stable digest of a response body, for "the same answer as for something that does not exist". */
export const digest = (r: Res): string => createHash('sha256').update(`${r.status}:${r.text}`).digest('hex');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(150);
  }
  throw new Error(`condition not met within ${ms} ms`);
}

export const applicant = (n = 1) => ({
  fullName: `Nguyễn Thị Hồng Nhung ${n}`,
  idNumber: `0381900${String(100000 + n).slice(-5)}`,
  phone: `09123${String(10000 + n).slice(-5)}`,
});
