import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, type Stack, sharedStack } from '../helpers/stack.ts';

let s: Stack;
let citizen: string;
let citizenB: string;
let receiver: string;
let specialist: string;
let leader: string;
let otherWard: string;
let pid: string;
let feePid: string;

beforeAll(async () => {
  s = await sharedStack();
  ({ citizen, citizenB, receiver, specialist, leader, otherWard } = await s.cast('citizen-a'));
  const list = await s.call('GET', '/v1/procedures?ward=bimson');
  const online = list.json.items.filter((p: any) => p.channels.some((c: string) => c !== 'counter'));
  pid = online[0].id;
  feePid = online.find((p: any) => p.fee > 0)?.id ?? pid;
});
afterAll(async () => s?.stop());

const submit = (token: string, n: number, channel = 'online', procedureId = pid) =>
  s.call('POST', '/v1/dossiers', { token, body: { ward: 'bimson', procedureId, channel, applicant: applicant(n) } });
const move = (token: string, id: string, to: number, expectedVersion: number, extra: object = {}) =>
  s.call('POST', `/v1/dossiers/${id}/transitions`, { token, body: { to, expectedVersion, ...extra } });

describe('Dossier lifecycle over HTTP against the local servers', () => {
  it('takes an online dossier at status 1 with a unit code and an intake deadline', async () => {
    const r = await submit(citizen, 1);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: 1, version: 1 });
    expect(r.json.code).toMatch(/^H56\.27\.01-\d{8}-\d{4}$/);
    expect(r.json.appointmentAt).toBeUndefined();
    expect(Date.parse(r.json.dueAt)).toBeGreaterThan(Date.now());
  });

  it('starts a counter dossier at status 2 with an appointment, and only for staff of the ward', async () => {
    const r = await submit(receiver, 2, 'counter');
    expect(r.status).toBe(201);
    expect(r.json.status).toBe(2);
    expect(Date.parse(r.json.appointmentAt)).toBeGreaterThan(Date.now());
    const byCitizen = await submit(citizen, 3, 'counter');
    expect([byCitizen.status, byCitizen.json.error.code]).toEqual([403, 'COUNTER_ONLY_FOR_STAFF']);
    const other = await submit(otherWard, 4, 'counter');
    expect([other.status, other.json.error.code]).toEqual([403, 'OTHER_WARD']);
  });

  it('numbers concurrent submissions of one day without gaps or repeats', async () => {
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => submit(citizen, 100 + i)));
    expect(rs.map((r) => r.status)).toEqual(Array(12).fill(201));
    const seqs = rs.map((r) => Number(r.json.code.split('-').pop())).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(12);
    expect(seqs.at(-1)! - seqs[0]!).toBe(11);
  });

  it('walks 1 -> 2 -> 4 -> 9 -> 10 with the right roles and keeps the history', async () => {
    const d = (await submit(citizen, 5)).json;
    const wrongRole = await move(citizen, d.id, 2, d.version);
    expect([wrongRole.status, wrongRole.json.error.code]).toEqual([403, 'FORBIDDEN']);
    const specialistAccepts = await move(specialist, d.id, 2, d.version);
    expect([specialistAccepts.status, specialistAccepts.json.error.code]).toEqual([
      403,
      'ROLE_NOT_ALLOWED_FOR_TRANSITION',
    ]);
    let cur = (await move(receiver, d.id, 2, d.version)).json;
    expect(cur.status).toBe(2);
    expect(cur.appointmentAt).toBeDefined();
    const illegal = await move(receiver, d.id, 10, cur.version);
    expect([illegal.status, illegal.json.error.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    for (const [to, tok] of [
      [4, receiver],
      [9, leader],
      [10, receiver],
    ] as const) {
      const r = await move(tok, d.id, to, cur.version);
      expect(r.status).toBe(200);
      cur = r.json;
    }
    expect(cur).toMatchObject({ status: 10, version: 5 });
    expect(cur.endedAt).toBeDefined();
    const h = await s.call('GET', `/v1/dossiers/${d.id}/history`, { token: citizen });
    expect(h.json.items.map((e: any) => [e.from ?? null, e.to])).toEqual([
      [null, 1],
      [1, 2],
      [2, 4],
      [4, 9],
      [9, 10],
    ]);
    expect(h.json.items[3]).toMatchObject({ by: 'leader-1', role: 'leader' });
  });

  it('lets exactly one of two officials win a race on the same version; the other gets 409 with the state', async () => {
    const d = (await submit(citizen, 6)).json;
    const [a, b] = await Promise.all([
      move(receiver, d.id, 2, d.version),
      move(receiver, d.id, 3, d.version, { reason: 'x' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json.error.code).toBe('STALE_VERSION');
    expect(loser.json.error.details.current.version).toBe(2);
    const h = await s.call('GET', `/v1/dossiers/${d.id}/history`, { token: receiver });
    expect(h.json.items).toHaveLength(2);
  });

  it('pauses the clock during a supplement request and pushes the deadline on resume', async () => {
    const d = (await submit(receiver, 7, 'counter')).json;
    let cur = (await move(receiver, d.id, 4, d.version)).json;
    const due = cur.dueAt;
    const noReason = await move(specialist, d.id, 5, cur.version);
    expect([noReason.status, noReason.json.error.code]).toEqual([422, 'REASON_REQUIRED']);
    cur = (await move(specialist, d.id, 5, cur.version, { reason: 'Thiếu giấy chứng sinh' })).json;
    expect(cur.pauses).toHaveLength(1);
    expect(cur.supplementCount).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    cur = (await move(receiver, d.id, 4, cur.version)).json;
    expect(cur.pauses[0].to).toBeDefined();
    expect(Date.parse(cur.dueAt)).toBeGreaterThanOrEqual(Date.parse(due));
  });

  it('requires a fee for status 6, records it, and records a cash payment at the counter', async () => {
    const d = (await submit(receiver, 8, 'counter', feePid)).json;
    let cur = (await move(receiver, d.id, 4, d.version)).json;
    cur = (await move(specialist, d.id, 6, cur.version, { fee: 30000 })).json;
    expect([cur.status, cur.feeDue]).toEqual([6, 30000]);
    // Paid in cash at the counter: recorded like an online payment, not online.
    cur = (await move(receiver, d.id, 4, cur.version)).json;
    expect(cur.status).toBe(4);
    expect(cur.payment).toMatchObject({ amount: 30000, gateway: 'cash', online: false });
  });

  it('lets the owner withdraw, and nobody else', async () => {
    const d = (await submit(citizen, 9)).json;
    const other = await s.call('POST', `/v1/dossiers/${d.id}/withdraw`, { token: citizenB, body: {} });
    expect(other.status).toBe(404);
    const r = await s.call('POST', `/v1/dossiers/${d.id}/withdraw`, { token: citizen, body: { reason: 'Nộp nhầm' } });
    expect([r.status, r.json.status]).toEqual([200, 7]);
    const again = await s.call('POST', `/v1/dossiers/${d.id}/withdraw`, { token: citizen, body: {} });
    expect([again.status, again.json.error.code]).toEqual([409, 'NOT_WITHDRAWABLE']);
  });

  it('shows a dossier only to its owner and its ward, and lists accordingly', async () => {
    const d = (await submit(citizen, 10)).json;
    expect((await s.call('GET', `/v1/dossiers/${d.id}`, { token: citizen })).status).toBe(200);
    expect((await s.call('GET', `/v1/dossiers/${d.id}`, { token: receiver })).status).toBe(200);
    expect((await s.call('GET', `/v1/dossiers/${d.id}`, { token: citizenB })).status).toBe(404);
    expect((await s.call('GET', `/v1/dossiers/${d.id}`, { token: otherWard })).status).toBe(404);
    const mine = await s.call('GET', '/v1/dossiers?limit=100', { token: citizen });
    expect(mine.json.items.some((x: any) => x.id === d.id)).toBe(true);
    expect(mine.json.items.every((x: any) => x.ownerSub === 'citizen-a')).toBe(true);
    const theirs = await s.call('GET', '/v1/dossiers', { token: citizenB });
    expect(theirs.json.items.some((x: any) => x.id === d.id)).toBe(false);
    const ward = await s.call('GET', '/v1/dossiers?status=1&limit=5', { token: receiver });
    expect(ward.json.items.length).toBe(5);
    expect(ward.json.items.every((x: any) => x.status === 1 && x.ward === 'bimson')).toBe(true);
    expect(ward.json.next).toBeDefined();
    const page2 = await s.call('GET', `/v1/dossiers?status=1&limit=5&cursor=${ward.json.next}`, { token: receiver });
    const ids1 = new Set(ward.json.items.map((x: any) => x.id));
    expect(page2.json.items.some((x: any) => ids1.has(x.id))).toBe(false);
    const other = await s.call('GET', '/v1/dossiers', { token: otherWard });
    expect(other.json.items).toHaveLength(0);

    // Unfiltered pages of 3 walk the same list, newest first, as pages of 100.
    const walk = async (limit: number) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (
          await s.call('GET', `/v1/dossiers?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token: receiver })
        ).json;
        expect(page.items.length).toBeLessThanOrEqual(limit);
        ids.push(...page.items.map((x: any) => x.id));
        cursor = page.next;
      } while (cursor);
      return ids;
    };
    const walked = await walk(3);
    expect(walked).toEqual(await walk(100));
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.length).toBeGreaterThan(3);
  });

  it('renders form 01 as a PDF for the owner', async () => {
    const d = (await submit(receiver, 11, 'counter')).json;
    const r = await fetch(`${s.base}/v1/dossiers/${d.id}/forms/01.pdf`, {
      headers: { authorization: `Bearer ${receiver}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await r.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const refusal = await s.call('GET', `/v1/dossiers/${d.id}/forms/03.pdf`, { token: receiver });
    expect([refusal.status, refusal.json.error.code]).toEqual([409, 'FORM_NOT_APPLICABLE']);
  });

  it('notifies the citizen of each status change through the outbox, the bus and the queue', async () => {
    const d = (await submit(citizen, 12)).json;
    await move(receiver, d.id, 2, d.version);
    const items = await eventually(async () => {
      const r = await s.call('GET', `/local/notifications?dossierId=${d.id}`);
      return r.json.items.length >= 2 ? r.json.items : undefined;
    });
    const kinds = items.map((n: any) => n.kind).sort();
    expect(kinds).toEqual(['accepted', 'submitted']);
    // Phone numbers are sent in E.164 (shared/notification-delivery.ts).
    const e164 = `+84${applicant(12).phone.slice(1)}`;
    expect(items.every((n: any) => n.to === e164 && /Hồ sơ H56/.test(n.text))).toBe(true);
  });

  it("lets anyone look a dossier up by code and the phone's last 4 digits, showing nothing personal", async () => {
    const d = (await submit(citizen, 13)).json;
    const phone = applicant(13).phone;
    const ok = await s.call('GET', `/v1/lookup/${encodeURIComponent(d.code)}?phone=${phone.slice(-4)}`);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ code: d.code, status: 1, statusName: 'Mới tiếp nhận trực tuyến' });
    expect(ok.json.applicant).toBe('N. T. H. N. 13');
    expect(ok.text).not.toContain(phone);
    expect(ok.text).not.toContain(applicant(13).idNumber);
    expect(ok.text).not.toContain('Nguyễn');
    const wrong = await s.call('GET', `/v1/lookup/${encodeURIComponent(d.code)}?phone=0000`);
    const unknown = await s.call(
      'GET',
      `/v1/lookup/${encodeURIComponent(d.code.replace(/\d{4}$/, '9999'))}?phone=${phone.slice(-4)}`,
    );
    expect([wrong.status, wrong.json.error.code]).toEqual([404, 'DOSSIER_NOT_FOUND']);
    expect(unknown.json).toEqual(wrong.json);
  });

  it('refuses a code for the hour after 5 wrong phones, even with the right one (no guessing 4 digits)', async () => {
    const d = (await submit(citizen, 15)).json;
    const phone = applicant(15).phone;
    const look = (digits: string) => s.call('GET', `/v1/lookup/${encodeURIComponent(d.code)}?phone=${digits}`);
    for (const digits of ['0000', '1111', '2222', '3333', '4444']) expect((await look(digits)).status).toBe(404);
    const locked = await look(phone.slice(-4));
    expect([locked.status, locked.json.error.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
    expect(locked.text).not.toContain(d.procedureName);
    expect(locked.text).not.toContain('N. T. H.');
  });

  it('takes one satisfaction rating after the result is returned, from the owner only', async () => {
    let d = (await submit(citizen, 14)).json;
    const early = await s.call('POST', `/v1/dossiers/${d.id}/feedback`, { token: citizen, body: { score: 5 } });
    expect([early.status, early.json.error.code]).toEqual([409, 'NOT_RETURNED_YET']);
    for (const [to, tok] of [
      [2, receiver],
      [4, receiver],
      [9, leader],
      [10, receiver],
    ] as const) {
      d = (await move(tok, d.id, to, d.version)).json;
    }
    const bad = await s.call('POST', `/v1/dossiers/${d.id}/feedback`, { token: citizen, body: { score: 6 } });
    expect(bad.status).toBe(400);
    const other = await s.call('POST', `/v1/dossiers/${d.id}/feedback`, { token: citizenB, body: { score: 1 } });
    expect(other.status).toBe(404);
    const r = await s.call('POST', `/v1/dossiers/${d.id}/feedback`, {
      token: citizen,
      body: { score: 2, complaint: 'Chờ lâu ở quầy' },
    });
    expect(r.status).toBe(200);
    expect(r.json.rating).toMatchObject({ score: 2, complaint: 'Chờ lâu ở quầy' });
    const again = await s.call('POST', `/v1/dossiers/${d.id}/feedback`, { token: citizen, body: { score: 5 } });
    expect([again.status, again.json.error.code]).toEqual([409, 'ALREADY_RATED']);
  });

  it("lists the ward's open dossiers due soon, soonest first, for staff only", async () => {
    const d = (await submit(receiver, 15, 'counter')).json;
    const soon = await s.call('GET', '/v1/dossiers?dueSoon=true&limit=100', { token: receiver });
    expect(soon.status).toBe(200);
    const later = await s.call(
      'GET',
      `/v1/dossiers?dueBefore=${encodeURIComponent(new Date(Date.parse(d.dueAt) + 1000).toISOString())}&limit=100`,
      {
        token: receiver,
      },
    );
    expect(later.json.items.some((x: any) => x.id === d.id)).toBe(true);
    const dues = later.json.items.map((x: any) => Date.parse(x.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    for (const x of soon.json.items) expect(x.overdue).toBe(false);
    const citizenTries = await s.call('GET', '/v1/dossiers?dueSoon=true', { token: citizen });
    expect([citizenTries.status, citizenTries.json.error.code]).toEqual([403, 'STAFF_FILTER']);
  });
});
