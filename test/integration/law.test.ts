/** The law's clocks, forms and figures over HTTP (DESIGN.md §5b): the hand-worked cases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, type Stack, sharedStack } from '../helpers/stack.ts';

let s: Stack;
let citizen: string;
let receiver: string;
let specialist: string;
let leader: string;
let pid: string;

beforeAll(async () => {
  s = await sharedStack();
  citizen = await s.token('citizen', 'citizen-law');
  receiver = await s.token('receiver', 'receiver-law', 'bimson');
  specialist = await s.token('specialist', 'specialist-law', 'bimson');
  leader = await s.token('leader', 'leader-law', 'bimson');
  const list = await s.call('GET', '/v1/procedures?ward=bimson');
  pid = list.json.items.find((p: any) => p.channels.includes('full-online') && p.durationDays >= 1 && p.fee === 0).id;
});
afterAll(async () => s?.stop());

const get = async (id: string) => (await s.call('GET', `/v1/dossiers/${id}`, { token: receiver })).json;
const move = async (token: string, id: string, to: number, extra: object = {}) => {
  const r = await s.call('POST', `/v1/dossiers/${id}/transitions`, {
    token,
    body: { to, expectedVersion: (await get(id)).version, ...extra },
  });
  expect(r.status).toBe(200);
  return r.json;
};
const counter = async (n: number, extra: object = {}) =>
  s.call('POST', '/v1/dossiers', {
    token: receiver,
    body: { ward: 'bimson', procedureId: pid, channel: 'counter', applicant: applicant(n), ...extra },
  });
const clockAt = (ms: number) => s.call('POST', '/local/clock', { body: { offsetMs: ms - Date.now() } });

describe('The law over HTTP', () => {
  it('a withdrawn dossier is never overdue, nor in the overdue list, nor apologised to', async () => {
    const d = (
      await s.call('POST', '/v1/dossiers', {
        token: citizen,
        body: { ward: 'bimson', procedureId: pid, channel: 'online', applicant: applicant(71) },
      })
    ).json;
    await move(receiver, d.id, 2);
    await move(receiver, d.id, 4);
    const w = await s.call('POST', `/v1/dossiers/${d.id}/withdraw`, { token: citizen, body: {} });
    expect(w.status).toBe(200);
    await clockAt(Date.parse(w.json.dueAt) + 10 * 24 * 3600_000);
    await s.call('POST', '/local/schedules/sla-watch');
    expect((await get(d.id)).overdue).toBe(false);
    const list = await s.call('GET', '/v1/dossiers?overdue=true', { token: receiver });
    expect(list.json.items.some((x: any) => x.id === d.id)).toBe(false);
    const notes = await s.call('GET', `/local/notifications?dossierId=${d.id}`);
    expect(notes.json.items.some((n: any) => n.kind === 'apology')).toBe(false);
    await clockAt(Date.now());
  });

  it('extension: once, before the deadline, new date on the dossier and form 04; 409 the second time', async () => {
    const d = (await counter(72)).json;
    const p = await move(receiver, d.id, 4);
    const newAt = new Date(Date.parse(p.dueAt) + 5 * 24 * 3600_000).toISOString();
    const r = await s.call('POST', `/v1/dossiers/${d.id}/extension`, {
      token: specialist,
      body: { reason: 'Chờ kết quả xác minh.', newAppointmentAt: newAt, expectedVersion: p.version },
    });
    expect(r.status).toBe(200);
    expect(r.json.extension.newAppointmentAt).toBe(newAt);
    expect(r.json.dueAt).toBe(p.dueAt);
    const again = await s.call('POST', `/v1/dossiers/${d.id}/extension`, {
      token: leader,
      body: { reason: 'Lần hai.', newAppointmentAt: newAt, expectedVersion: r.json.version },
    });
    expect([again.status, again.json.error.code]).toEqual([409, 'ALREADY_EXTENDED']);
    const byReceiver = await s.call('POST', `/v1/dossiers/${d.id}/extension`, {
      token: receiver,
      body: { reason: 'x', newAppointmentAt: newAt, expectedVersion: r.json.version },
    });
    expect(byReceiver.status).toBe(403);
    const form = await fetch(`${s.base}/v1/dossiers/${d.id}/forms/04.pdf`, {
      headers: { authorization: `Bearer ${receiver}` },
    });
    expect(form.status).toBe(200);
    await eventually(async () => {
      const n = await s.call('GET', `/local/notifications?dossierId=${d.id}`);
      return n.json.items.some((x: any) => x.kind === 'apology') ? true : undefined;
    });
  });

  it('counter refusal and completion request; the register as CSV, neutralised', async () => {
    const refused = await counter(73, { intake: 'refuse', reason: 'Không thuộc thẩm quyền.' });
    expect([refused.status, refused.json.status]).toEqual([201, 3]);
    const incomplete = await counter(74, { intake: 'incomplete', reason: 'Thiếu giấy tờ.', missing: [] });
    expect(incomplete.json.status).toBe(5);
    expect(incomplete.json.dueAt).toBeUndefined();
    const f03 = await fetch(`${s.base}/v1/dossiers/${refused.json.id}/forms/03.pdf`, {
      headers: { authorization: `Bearer ${receiver}` },
    });
    expect(f03.status).toBe(200);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const csv = await s.call('GET', `/v1/registers?from=${today}&to=${today}&format=csv`, { token: leader });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(refused.json.code);
    const pdf = await fetch(`${s.base}/v1/registers?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${leader}` },
    });
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect((await s.call('GET', `/v1/registers?from=${today}&to=${today}`, { token: citizen })).status).toBe(403);
  });

  it('calendar: provenance of a year, and 422 for a clock outside the computable years', async () => {
    const admin = await s.token('admin', 'admin-law', 'bimson');
    const y26 = await s.call('GET', '/v1/admin/calendar/2026', { token: admin });
    expect(y26.json).toMatchObject({ provenance: 'announced', decision: expect.stringContaining('9441') });
    expect((await s.call('GET', '/v1/admin/calendar/2027', { token: admin })).json.provenance).toBe('derived');
    await clockAt(Date.parse('1995-06-01T02:00:00Z'));
    const sub = await counter(75);
    const due = await s.call('GET', '/v1/dossiers?dueSoon=true', { token: receiver });
    await clockAt(Date.now());
    expect([sub.status, sub.json.error?.code]).toEqual([422, 'DATE_OUT_OF_CALENDAR']);
    expect(due.status).toBe(422);
  });
});
