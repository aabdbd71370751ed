import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamHandler } from '#local/streams.ts';
import { applicant, eventually, type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => s?.stop());

const notifications = async (ids: string[]) => {
  const r = await s.call('GET', '/local/notifications?limit=500');
  return (r.json.items as { dossierId: string; kind: string; eventId: string }[]).filter((n) =>
    ids.includes(n.dossierId),
  );
};

/** Online submissions of these applicants, each accepted (1 -> 2): their ids. */
async function submitAndAccept(citizen: string, receiver: string, pid: string, applicants: readonly number[]) {
  const ids: string[] = [];
  for (const n of applicants) {
    const d = (
      await s.call('POST', '/v1/dossiers', {
        token: citizen,
        body: { ward: 'bimson', procedureId: pid, channel: 'online', applicant: applicant(n) },
      })
    ).json;
    const moved = await s.call('POST', `/v1/dossiers/${d.id}/transitions`, {
      token: receiver,
      body: { to: 2, expectedVersion: 1 },
    });
    expect(moved.status).toBe(200);
    ids.push(d.id as string);
  }
  return ids;
}

describe('Transactional outbox', () => {
  it('delivers every event once when the relay dies between the table write and the publish', async () => {
    const citizen = await s.token('citizen', 'citizen-o');
    const receiver = await s.token('receiver', 'receiver-o', 'bimson');
    const pid = (await s.call('GET', '/v1/procedures?ward=bimson')).json.items.find((p: any) =>
      p.channels.includes('full-online'),
    ).id;

    // The relay is down: state changes commit, with their events, but nothing is published.
    await s.rt.stopRelay();
    const ids = await submitAndAccept(citizen, receiver, pid, [40, 41, 42, 43]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await notifications(ids)).toHaveLength(0);

    // It comes back and dies again right after publishing its first batch, before its checkpoint:
    // that batch is published twice.
    let crashes = 0;
    let published = 0;
    // Events promised by the inserted items: an outbox item's one, or those on a history entry.
    const outboxRecords = (e: Parameters<StreamHandler>[0]) =>
      e.Records.filter((x) => x.eventName === 'INSERT').reduce((n, x) => {
        const img = x.dynamodb?.NewImage;
        if (img?.entity?.S === 'outbox') return n + 1;
        if (img?.entity?.S === 'history') return n + (img.events?.L?.length ?? 0);
        return n;
      }, 0);
    const counting =
      (h: StreamHandler): StreamHandler =>
      async (e) => {
        const r = await h(e);
        published += outboxRecords(e);
        return r;
      };
    s.rt.startRelay(
      (h: StreamHandler): StreamHandler =>
        async (e) => {
          const r = await counting(h)(e);
          if (crashes === 0 && outboxRecords(e) > 0) {
            crashes++;
            throw new Error('relay killed after publishing, before its checkpoint');
          }
          return r;
        },
    );
    const got = await eventually(async () => {
      const n = await notifications(ids);
      return n.length >= 8 ? n : undefined;
    });
    // A restart resumes from the checkpoint: the batch in hand when it died comes again (at least
    // once), and the consumers, deduplicating by event id, send nothing twice.
    await s.rt.stopRelay();
    s.rt.startRelay(counting);
    await eventually(async () => (published >= 16 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    const final = await notifications(ids);
    expect(crashes).toBe(1);
    expect(final).toHaveLength(8);
    expect(got).toHaveLength(8);
    for (const id of ids) {
      expect(
        final
          .filter((n) => n.dossierId === id)
          .map((n) => n.kind)
          .sort(),
      ).toEqual(['accepted', 'submitted']);
    }
    expect(new Set(final.map((n) => n.eventId)).size).toBe(8);
    // The audit trail: each change's entry is there once, with who made it. It is the item that
    // carried the events, written in the change's own transaction: no kill can keep one without the other.
    for (const id of ids) {
      const h = (await s.call('GET', `/v1/dossiers/${id}/history`, { token: receiver })).json.items as {
        version: number;
        to: number;
        role: string;
        by: string;
      }[];
      expect(h.map((e) => [e.version, e.to, e.role])).toEqual([
        [1, 1, 'citizen'],
        [2, 2, 'receiver'],
      ]);
      expect(h.every((e) => e.by.length > 0)).toBe(true);
    }
  });

  it('hands the relay only the items that carry events, as the cloud mapping filters them', async () => {
    const citizen = await s.token('citizen', 'citizen-f');
    const receiver = await s.token('receiver', 'receiver-f', 'bimson');
    const pid = (await s.call('GET', '/v1/procedures?ward=bimson')).json.items.find((p: any) =>
      p.channels.includes('full-online'),
    ).id;
    const seen: { entity?: string | undefined; outbox?: boolean | undefined }[] = [];
    await s.rt.stopRelay();
    s.rt.startRelay(
      (h: StreamHandler): StreamHandler =>
        async (e) => {
          for (const x of e.Records) {
            seen.push({ entity: x.dynamodb?.NewImage?.entity?.S, outbox: x.dynamodb?.NewImage?.outbox?.BOOL });
          }
          return h(e);
        },
    );
    const d = (
      await s.call('POST', '/v1/dossiers', {
        token: citizen,
        body: { ward: 'bimson', procedureId: pid, channel: 'online', applicant: applicant(60) },
      })
    ).json;
    await s.call('POST', `/v1/dossiers/${d.id}/transitions`, { token: receiver, body: { to: 2, expectedVersion: 1 } });
    // The consumers' own writes (notifications, facts) and the dossier's rewrite reach the stream too.
    const sent = await eventually(async () => {
      const n = await notifications([d.id]);
      return n.length >= 2 ? n : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(sent.map((n) => n.kind).sort()).toEqual(['accepted', 'submitted']);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.every((x) => x.outbox === true)).toBe(true);
    expect(seen.some((x) => x.entity === 'history')).toBe(true);
    expect(seen.some((x) => x.entity === 'dossier' || x.entity === 'notification' || x.entity === 'fact')).toBe(false);
  });

  it('counts every dossier once in the indicators when the statistics die between the write and the fact', async () => {
    const citizen = await s.token('citizen', 'citizen-st');
    const receiver = await s.token('receiver', 'receiver-st', 'bimson');
    const leader = await s.token('leader', 'leader-st', 'bimson');
    const pid = (await s.call('GET', '/v1/procedures?ward=bimson')).json.items.find((p: any) =>
      p.channels.includes('full-online'),
    ).id;
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const report = async () =>
      (await s.call('GET', `/v1/reports?from=${today}&to=${today}`, { token: leader })).json as {
        received: number;
        inProgress: number;
      };
    const before = await eventually(async () => {
      const r = await report();
      return r.received > 0 ? r : undefined;
    });

    // The statistics are down: the changes commit, no fact is written.
    await s.rt.stopStreamReader('statistics');
    const created = await submitAndAccept(citizen, receiver, pid, [70, 71, 72]);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await report()).received).toBe(before.received);

    // They come back and die right after writing their first batch's facts, before the checkpoint:
    // that batch comes again, and the version guard keeps each dossier counted once.
    let crashes = 0;
    const handed = new Set<string>();
    s.rt.startStreamReader(
      'statistics',
      (h: StreamHandler): StreamHandler =>
        async (e) => {
          for (const x of e.Records) handed.add(String(x.dynamodb?.NewImage?.id?.S));
          const r = await h(e);
          if (crashes === 0 && e.Records.length > 0) {
            crashes++;
            throw new Error('killed after the facts, before the checkpoint');
          }
          return r;
        },
    );
    const after = await eventually(async () => {
      const r = await report();
      return r.received === before.received + 3 ? r : undefined;
    });
    expect(crashes).toBe(1);
    expect(after.inProgress).toBe(before.inProgress + 3);
    // It resumed after its checkpoint: only the dossiers written while it was down came again.
    expect([...handed].sort()).toEqual([...created].sort());
    await new Promise((r) => setTimeout(r, 1000));
    expect((await report()).received).toBe(before.received + 3);
  });
});
