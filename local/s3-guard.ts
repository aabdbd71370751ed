/**
 * A guard in front of s3rver's routes. s3rver takes anonymous requests and does not check
 * Signature Version 4 at all (only a presigned URL's expiry), so any process that can reach it
 * could overwrite a scan the checker had accepted. The guard refuses, before s3rver sees them:
 * every request from a non-loopback address (s3rver is bound to 127.0.0.1 anyway), and every
 * write (PUT, POST, DELETE) that does not carry a valid SigV4 signature by the local credentials,
 * in the Authorization header (the SDK) or in the query (a presigned URL, within its expiry).
 * What may write is then what may write in the cloud: the functions' credentials, or the holder
 * of a presigned URL for that key.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

interface SignedRequest {
  readonly method: string;
  /** The request target as sent: path and query, not decoded. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

interface Parsed {
  readonly accessKeyId: string;
  readonly scope: readonly string[];
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly amzDate: string;
  readonly payloadHash: string;
  readonly query: readonly [string, string][];
  readonly expiresS?: number;
}

function parse(r: SignedRequest): Parsed | undefined {
  const q = r.url.indexOf('?');
  const rawQuery = q >= 0 ? r.url.slice(q + 1) : '';
  const query: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq >= 0 ? part.slice(0, eq) : part;
    const v = eq >= 0 ? part.slice(eq + 1) : '';
    try {
      query.push([decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))]);
    } catch {
      return undefined;
    }
  }
  const qv = (name: string) => query.find(([k]) => k === name)?.[1];
  const auth = typeof r.headers.authorization === 'string' ? r.headers.authorization : undefined;
  if (auth) {
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      auth.trim(),
    );
    const amzDate = r.headers['x-amz-date'];
    const payloadHash = r.headers['x-amz-content-sha256'];
    if (!m || typeof amzDate !== 'string' || typeof payloadHash !== 'string') return undefined;
    const [accessKeyId, ...scope] = (m[1] as string).split('/');
    return {
      accessKeyId: accessKeyId ?? '',
      scope,
      signedHeaders: (m[2] as string).split(';'),
      signature: m[3] as string,
      amzDate,
      payloadHash,
      query,
    };
  }
  if (qv('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return undefined;
  const credential = qv('X-Amz-Credential');
  const signedHeaders = qv('X-Amz-SignedHeaders');
  const signature = qv('X-Amz-Signature');
  const amzDate = qv('X-Amz-Date');
  const expires = Number(qv('X-Amz-Expires'));
  if (!credential || !signedHeaders || !signature || !amzDate || !Number.isInteger(expires)) return undefined;
  const [accessKeyId, ...scope] = credential.split('/');
  return {
    accessKeyId: accessKeyId ?? '',
    scope,
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    payloadHash: 'UNSIGNED-PAYLOAD',
    query: query.filter(([k]) => k !== 'X-Amz-Signature'),
    expiresS: expires,
  };
}

const amzTime = (d: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(d);
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : Number.NaN;
};

/** Whether `r` carries a valid SigV4 signature by `accessKeyId`/`secret` (and, if presigned, has not expired). */
function validSigV4(r: SignedRequest, accessKeyId: string, secret: string, now = Date.now()): boolean {
  const p = parse(r);
  if (!p || p.accessKeyId !== accessKeyId || p.scope.length !== 4 || p.scope[3] !== 'aws4_request') return false;
  const t = amzTime(p.amzDate);
  if (!Number.isFinite(t) || p.amzDate.slice(0, 8) !== p.scope[0]) return false;
  if (p.expiresS !== undefined ? now > t + p.expiresS * 1000 : Math.abs(now - t) > 15 * 60_000) return false;
  if (!p.signedHeaders.includes('host')) return false;
  const path = r.url.split('?')[0] ?? '/';
  const canonicalQuery = p.query
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = p.signedHeaders
    .map((h) => {
      const v = r.headers[h];
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${h}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonical = [
    r.method.toUpperCase(),
    path,
    canonicalQuery,
    canonicalHeaders,
    p.signedHeaders.join(';'),
    p.payloadHash,
  ].join('\n');
  const scope = p.scope.join('/');
  const toSign = ['AWS4-HMAC-SHA256', p.amzDate, scope, sha256hex(canonical)].join('\n');
  const [date, region, service] = p.scope as [string, string, string, string];
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign, 'utf8').digest();
  const given = Buffer.from(p.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Loopback addresses, IPv4 (all of 127/8), IPv6 and IPv4-mapped. */
const isLoopback = (address: string | undefined): boolean =>
  !!address && (/^(::ffff:)?127\./.test(address) || address === '::1');

const WRITES = new Set(['PUT', 'POST', 'DELETE']);

/** Why a request is refused, or undefined to let it through. */
export function s3Refusal(
  r: SignedRequest & { readonly remoteAddress: string | undefined },
  accessKeyId: string,
  secret: string,
): string | undefined {
  if (!isLoopback(r.remoteAddress)) return 'only this machine may reach the local S3 server';
  if (WRITES.has(r.method.toUpperCase()) && !validSigV4(r, accessKeyId, secret))
    return 'writes need a valid Signature Version 4 (the SDK or a presigned URL)';
  return undefined;
}
