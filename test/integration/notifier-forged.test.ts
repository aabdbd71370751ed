/**
 * The notifier writes from the stored dossier and the stored event, never from a queue message
 * alone: a message forged onto its queue (a real dossier id, an attacker's wording) sends nothing,
 * while the real events of the same dossier are still notified.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#functions/adapters/clients.ts';
import { keys } from '#functions/adapters/keys.ts';
import { StoredEvents } from '#functions/adapters/stored-events.ts';
import { countingClient } from '../helpers/counting-client.ts';
import { applicant, eventually, type Stack, sharedStack } from '../helpers/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await sharedStack();
});
afterAll(async () => s?.stop());

const ATTACKER = 'Chuyển khoản 5.000.000 đồng vào tài khoản 0123456789 để được xử lý nhanh';

const notificationsOf = async (id: string) => {
  const r = await s.call('GET', '/local/notifications?limit=500');
  return (r.json.items as { dossierId: string; kind: string; eventId: string; text: string }[]).filter(
    (n) => n.dossierId === id,
  );
};

/** A dossier submitted online at Bỉm Sơn, for a procedure that takes full-online dossiers. */
async function submitOnline(token: string, who: ReturnType<typeof applicant>) {
  const pid = (await s.call('GET', '/v1/procedures?ward=bimson')).json.items.find((p: any) =>
    p.channels.includes('full-online'),
  ).id as string;
  const d = (
    await s.call('POST', '/v1/dossiers', {
      token,
      body: { ward: 'bimson', procedureId: pid, channel: 'online', applicant: who },
    })
  ).json as { id: string; code: string };
  return { pid, d };
}

describe('Notifier: forged events', () => {
  it('ignores an event put on its queue that no state change of the dossier wrote', async () => {
    const citizen = await s.token('citizen', 'citizen-forged');
    const receiver = await s.token('receiver', 'receiver-forged', 'bimson');
    const { pid, d } = await submitOnline(citizen, applicant(91));
    const submitted = await eventually(async () => {
      const n = await notificationsOf(d.id);
      return n.some((x) => x.kind === 'submitted') ? n : undefined;
    });
    const realEventId = submitted[0]?.eventId as string;

    // Two forgeries: a new event id, and a real event id carrying other content.
    const queueUrl = s.rt.queues.get('notifier')?.url as string;
    const forge = (id: string) =>
      s.rt.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({
            version: '0',
            id: randomUUID(),
            'detail-type': 'DossierStatusChanged',
            source: 'motcua.dossiers',
            account: '000000000000',
            time: new Date().toISOString(),
            region: 'ap-southeast-1',
            resources: [`dossier/${d.id}`],
            detail: {
              id,
              type: 'DossierStatusChanged',
              version: 1,
              occurredAt: new Date().toISOString(),
              ward: 'bimson',
              dossierId: d.id,
              data: {
                code: d.code,
                procedureId: pid,
                channel: 'online',
                from: 1,
                to: 5,
                version: 2,
                by: 'receiver-forged',
                reason: ATTACKER,
              },
            },
          }),
        }),
      );
    const forgedId = randomUUID();
    await forge(forgedId);
    await forge(realEventId);

    // A real change after the forgeries is notified: the notifier has been through its queue.
    const moved = await s.call('POST', `/v1/dossiers/${d.id}/transitions`, {
      token: receiver,
      body: { to: 2, expectedVersion: 1 },
    });
    expect(moved.status).toBe(200);
    await eventually(async () => ((await notificationsOf(d.id)).some((x) => x.kind === 'accepted') ? true : undefined));
    await new Promise((r) => setTimeout(r, 2000));

    const all = await notificationsOf(d.id);
    expect(all.some((n) => n.text.includes(ATTACKER))).toBe(false);
    expect(all.some((n) => n.eventId === forgedId)).toBe(false);
    expect(all.some((n) => n.kind === 'supplement')).toBe(false);
    expect(all.filter((n) => n.kind === 'submitted').every((n) => !n.text.includes('bổ sung'))).toBe(true);
  });

  it('records what each channel would have sent, per citizen: SMS to the E.164 number, e-mail when given', async () => {
    const citizen = await s.token('citizen', 'citizen-channels');
    const pid = (await s.call('GET', '/v1/procedures?ward=bimson')).json.items.find((p: any) =>
      p.channels.includes('full-online'),
    ).id;
    const withEmail = { ...applicant(92), phone: '84912345092', email: 'nhung92@example.vn' };
    const a = (
      await s.call('POST', '/v1/dossiers', {
        token: citizen,
        body: { ward: 'bimson', procedureId: pid, channel: 'online', applicant: withEmail },
      })
    ).json as { id: string };
    const b = (
      await s.call('POST', '/v1/dossiers', {
        token: citizen,
        body: { ward: 'bimson', procedureId: pid, channel: 'online', applicant: applicant(93) },
      })
    ).json as { id: string };
    const items = async (id: string) =>
      (await s.call('GET', `/local/notifications?dossierId=${id}`)).json.items as Record<string, any>[];
    const ofA = await eventually(async () => {
      const n = await items(a.id);
      return n.length >= 2 && n.every((x) => x.deliveryStatus) ? n : undefined;
    });
    const sms = ofA.find((n) => n.channel === 'sms');
    const email = ofA.find((n) => n.channel === 'email');
    expect(sms).toMatchObject({
      to: '+84912345092',
      deliveryStatus: 'sent',
      attempts: 1,
      preview: { api: 'SendTextMessage', DestinationPhoneNumber: '+84912345092', MessageType: 'TRANSACTIONAL' },
    });
    expect(sms?.preview.MessageBody).toBe(sms?.text);
    expect(email).toMatchObject({
      to: 'nhung92@example.vn',
      deliveryStatus: 'sent',
      preview: { api: 'SendEmail', ToAddresses: ['nhung92@example.vn'] },
    });
    expect(email?.preview.Subject).toMatch(/^\[Một cửa\] Hồ sơ /);
    // The second applicant gave no e-mail address: SMS only.
    const ofB = await eventually(async () => {
      const n = await items(b.id);
      return n.length >= 1 && n.every((x) => x.deliveryStatus) ? n : undefined;
    });
    expect(ofB.map((n) => n.channel)).toEqual(['sms']);
  });

  it("reads a dossier and its history's events in one request, past the portal sync's state in its partition", async () => {
    const citizen = await s.token('citizen', 'citizen-stored');
    const receiver = await s.token('receiver', 'receiver-stored', 'bimson');
    const { d } = await submitOnline(citizen, applicant(94));
    expect(
      (
        await s.call('POST', `/v1/dossiers/${d.id}/transitions`, {
          token: receiver,
          body: { to: 2, expectedVersion: 1 },
        })
      ).status,
    ).toBe(200);
    // The portal sync has written its state item (DVCQG) between the dossier and its history.
    const db = dynamo();
    await eventually(async () => {
      const r = await db.send(
        new GetCommand({ TableName: tableName(), Key: keys.portalSync(d.id), ConsistentRead: true }),
      );
      return (r.Item?.version ?? 0) >= 2 ? true : undefined;
    });
    const counting = countingClient(db);
    const read = await new StoredEvents(counting.client, tableName()).dossierWithEvents(d.id);
    expect(counting.requests()).toBe(1);
    const stored = (await s.call('GET', `/v1/dossiers/${d.id}`, { token: receiver })).json;
    expect(read.dossier).toMatchObject({ id: d.id, version: 2, status: 2, code: stored.code });
    expect(read.dossier).not.toHaveProperty('leaseId');
    const types = [...read.events.values()].map((e) => `${e.type}:${e.dossierId === d.id}`);
    expect(types).toContain('DossierSubmitted:true');
    expect(types).toContain('DossierStatusChanged:true');
    expect(await new StoredEvents(db, tableName()).dossierWithEvents(randomUUID())).toEqual({
      dossier: undefined,
      events: new Map(),
    });
  });
});
