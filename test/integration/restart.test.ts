import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '#local/runtime.ts';
import { freePort } from '#local/servers.ts';
import { applicant, eventually } from '../helpers/stack.ts';

const dir = mkdtempSync(join(tmpdir(), 'motcua-restart-'));
let rt: Runtime;
let base: string;
beforeAll(async () => {
  rt = await startRuntime({ port: await freePort(), dataDir: dir, memory: false, schedules: false, retryDelayS: 1 });
  base = rt.baseUrl;
});
afterAll(async () => {
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, token?: string) {
  const r = await fetch(base + path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : undefined };
}
const token = async (role: string, sub: string, ward?: string) =>
  (await call('POST', '/local/token', { role, sub, ...(ward ? { ward } : {}) })).json.access_token as string;
const kinds = async (id: string) =>
  ((await call('GET', `/local/notifications?dossierId=${id}`)).json.items as { kind: string }[])
    .map((n) => n.kind)
    .sort();

describe('Local servers restarted mid-run', () => {
  it('loses nothing when DynamoDB Local restarts between the table write and the publish', async () => {
    const citizen = await token('citizen', 'citizen-r');
    const receiver = await token('receiver', 'receiver-r', 'bimson');
    const pid = (await call('GET', '/v1/procedures?ward=bimson')).json.items.find((p: { channels: string[] }) =>
      p.channels.includes('full-online'),
    ).id;
    const submit = async (n: number) =>
      (
        await call(
          'POST',
          '/v1/dossiers',
          { ward: 'bimson', procedureId: pid, channel: 'online', applicant: applicant(n) },
          citizen,
        )
      ).json;

    // The relay is behind: two changes are committed, their events not yet published.
    await rt.stopRelay();
    const a = await submit(71);
    expect(
      (await call('POST', `/v1/dossiers/${a.id}/transitions`, { to: 2, expectedVersion: 1 }, receiver)).status,
    ).toBe(200);
    // The database restarts (same data, same port) while the relay runs again.
    rt.startRelay();
    await rt.restartDynamoDb();
    // Work goes on after the restart.
    const b = await submit(72);
    expect(b.status).toBe(1);

    const after = await call('GET', `/v1/dossiers/${a.id}`, undefined, citizen);
    expect([after.status, after.json.status, after.json.version]).toEqual([200, 2, 2]);
    await eventually(
      async () => ((await kinds(a.id)).length >= 2 && (await kinds(b.id)).length >= 1 ? true : undefined),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(await kinds(a.id)).toEqual(['accepted', 'submitted']);
    expect(await kinds(b.id)).toEqual(['submitted']);
    expect((await call('GET', `/v1/dossiers/${a.id}/history`, undefined, citizen)).json.items).toHaveLength(2);
  }, 120_000);
});
