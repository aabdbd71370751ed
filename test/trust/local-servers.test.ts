/**
 * The local runtime's servers are reachable from this machine only (issue 18.4): DynamoDB Local,
 * fauxqs (SQS), s3rver, the local event bus and the HTTP API listen on 127.0.0.1: every socket
 * listening on their ports is bound to a loopback address (read from the kernel's socket tables,
 * so the test itself sends nothing beyond loopback); and s3rver, which takes anonymous and
 * unverified requests, sits behind a guard that refuses writes without a valid SigV4 signature, so an accepted scan cannot be overwritten or
 * deleted by whoever can reach the port.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3_LOCAL_CREDENTIALS } from '#local/servers.ts';
import { LOCAL_NAMES } from '#wiring/definitions.ts';
import { startTrustStack, type TrustStack } from './trust-stack.ts';

let s: TrustStack;

/**
 * The local addresses that listen on `port`, read from the kernel's socket tables
 * (/proc/net/tcp and tcp6, state 0A = LISTEN), as hex. Reading the tables sends no traffic to any
 * address: a neighbour's view is what the kernel would accept, and a socket bound to loopback
 * accepts nothing from outside.
 */
function listeners(port: number): string[] | undefined {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) return undefined;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== '0A') continue;
      const [addr, hexPort] = local.split(':');
      if (addr && hexPort && Number.parseInt(hexPort, 16) === port) out.push(addr);
    }
  }
  return out;
}

/** 127.0.0.1 (as /proc writes it), ::1, or 127.0.0.1 mapped into IPv6. */
const isLoopback = (hex: string) =>
  hex === '0100007F' || hex === '00000000000000000000000001000000' || hex === '0000000000000000FFFF00000100007F';

/** 'connected' or the socket error's code (ECONNREFUSED when nothing listens on that address). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    sock.setTimeout(3000);
    sock.once('connect', () => {
      sock.destroy();
      resolve('connected');
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve('timeout');
    });
    sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

const servers = () => {
  const e = s.rt.endpoints;
  return { api: s.base, dynamodb: e.dynamodb, sqs: e.sqs, s3: e.s3, events: e.events };
};
const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  s = await startTrustStack({ signing: false });
});
afterAll(async () => s?.stop());

describe('Local runtime: servers on loopback only', () => {
  it('binds every server to loopback only, never to all interfaces', async (ctx) => {
    if (!listeners(1)) {
      console.warn('local-servers.test: SKIPPED: no /proc/net/tcp on this machine to read the listening sockets from');
      ctx.skip('no /proc/net/tcp');
      return;
    }
    for (const [name, url] of Object.entries(servers())) {
      // Reachable on loopback (the test would prove nothing otherwise)...
      expect(await tryConnect('127.0.0.1', portOf(url)), `${name} on 127.0.0.1`).toBe('connected');
      // ...and every socket listening on its port is bound to a loopback address (0.0.0.0 or ::
      // would take connections from the network).
      const bound = listeners(portOf(url)) ?? [];
      expect(bound.length, `${name} listens`).toBeGreaterThan(0);
      expect(
        bound.filter((a) => !isLoopback(a)),
        `${name} bound beyond loopback`,
      ).toEqual([]);
    }
  });
});

describe('Local runtime: s3rver behind the SigV4 guard', () => {
  const bucket = LOCAL_NAMES.bucket;
  const key = 'uploads/bimson/accepted-scan-probe.pdf';
  let s3: S3Client;

  beforeAll(async () => {
    s3 = new S3Client({
      endpoint: s.rt.endpoints.s3,
      region: 'ap-southeast-1',
      forcePathStyle: true,
      credentials: S3_LOCAL_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    // As if the checker had accepted it: written with the bucket's own credentials.
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: '%PDF-1.7 accepted', ContentType: 'application/pdf' }),
    );
  });

  const read = async () =>
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? '';

  it('refuses unsigned, forged and wrongly-keyed writes over an accepted scan, and keeps it as it was', async () => {
    const url = `${s.rt.endpoints.s3}/${bucket}/${key}`;
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const forgedQuery =
      `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F${day}%2Fap-southeast-1%2Fs3%2Faws4_request` +
      `&X-Amz-Date=${amzDate}&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${'ab'.repeat(32)}`;
    const attempts: [string, RequestInit, string][] = [
      ['unsigned PUT', { method: 'PUT', body: 'overwritten' }, url],
      ['unsigned DELETE', { method: 'DELETE' }, url],
      ['unsigned POST (multipart start)', { method: 'POST' }, `${url}?uploads`],
      ['forged presigned PUT', { method: 'PUT', body: 'overwritten' }, `${url}?${forgedQuery}`],
      [
        'forged Authorization header',
        {
          method: 'PUT',
          body: 'overwritten',
          headers: {
            authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${day}/ap-southeast-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'cd'.repeat(32)}`,
            'x-amz-date': amzDate,
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          },
        },
        url,
      ],
    ];
    for (const [what, init, target] of attempts) {
      const r = await fetch(target, init);
      expect(r.status, `${what}: ${await r.text()}`).toBe(403);
    }
    // Signed with another secret: refused too.
    const intruder = new S3Client({
      endpoint: s.rt.endpoints.s3,
      region: 'ap-southeast-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guessed' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await expect(
      intruder.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'overwritten' })),
    ).rejects.toThrow();
    expect(await read()).toBe('%PDF-1.7 accepted');
  });
});
