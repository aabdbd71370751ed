/**
 * One local stack per test file: the real servers, the same handlers, on free ports, in memory.
 * Tests talk to it over HTTP and through the AWS SDK, as front ends and the cloud would.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Runtime, startRuntime } from '#local/runtime.ts';
import { freePort } from '#local/servers.ts';

export interface Stack {
  readonly rt: Runtime;
  readonly base: string;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; json: any; text: string; headers: Headers }>;
  token(role: string, sub: string, ward?: string): Promise<string>;
  /** The usual cast: two citizens, the four staff roles of bimson, and a receiver of another ward. */
  cast(citizenSub?: string): Promise<Cast>;
  stop(): Promise<void>;
}

export interface Cast {
  readonly citizen: string;
  readonly citizenB: string;
  readonly receiver: string;
  readonly specialist: string;
  readonly leader: string;
  readonly admin: string;
  readonly otherWard: string;
}

export async function startStack(
  opts: { retryDelayS?: number; env?: Readonly<Record<string, string>> } = {},
): Promise<Stack> {
  const port = await freePort();
  const rt = await startRuntime({
    port,
    // Each stack its own folder: two runs on one machine never share files.
    dataDir: mkdtempSync(join(tmpdir(), 'motcua-test-')),
    memory: true,
    retryDelayS: opts.retryDelayS ?? 1,
    schedules: false,
    ...(opts.env ? { env: opts.env } : {}),
  });
  const base = rt.baseUrl;
  const call: Stack['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const r = await fetch(base + path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, json, text, headers: r.headers };
  };
  const token: Stack['token'] = async (role, sub, ward) => {
    const r = await call('POST', '/local/token', { body: { role, sub, ...(ward ? { ward } : {}) } });
    if (r.status !== 200) throw new Error(`token ${role}: ${r.status} ${r.text}`);
    return r.json.access_token as string;
  };
  return {
    rt,
    base,
    call,
    token,
    cast: async (citizenSub = 'citizen-a') => {
      const t = token;
      return {
        citizen: await t('citizen', citizenSub),
        citizenB: await t('citizen', `${citizenSub}-other`),
        receiver: await t('receiver', 'receiver-1', 'bimson'),
        specialist: await t('specialist', 'specialist-1', 'bimson'),
        leader: await t('leader', 'leader-1', 'bimson'),
        admin: await t('admin', 'admin-1', 'bimson'),
        otherWard: await t('receiver', 'receiver-9', 'quangtrung'),
      };
    },
    stop: () => rt.stop(),
  };
}

/** Polls until `check` returns a value, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < ms) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`condition not met within ${ms} ms${last ? `: ${String(last)}` : ''}`);
}

export const applicant = (n = 1) => ({
  fullName: `Nguyễn Thị Hồng Nhung ${n}`,
  idNumber: `0381900${String(100000 + n).slice(-5)}`,
  phone: `09123${String(10000 + n).slice(-5)}`,
});
