/**
 * Community digital teams (issue 15): a helper submits online on a citizen's behalf in their own
 * ward; the citizen follows it by the identity number VNeID puts in their token; who sees what;
 * the report by residential group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
let helper: string;
let helperB: string;
let helperOtherWard: string;
let receiver: string;
let otherReceiver: string;
let leader: string;

const ID_AN = '038090001111';
const ID_BINH = '038090002222';

const token = async (body: Record<string, unknown>): Promise<string> => {
  const r = await s.call('POST', '/local/token', { body });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
  return r.json.access_token as string;
};

const submit = (tok: string, body: Record<string, unknown> = {}) =>
  s.call('POST', '/v1/dossiers', {
    token: tok,
    body: {
      ward: 'bimson',
      procedureId: 'bimson-dang-ky-khai-sinh',
      channel: 'online',
      applicant: { ...applicant(1), idNumber: ID_AN },
      ...body,
    },
  });

const ids = (r: { json: { items: { id: string }[] } }) => r.json.items.map((d) => d.id);

beforeAll(async () => {
  s = await startStack();
  helper = await token({ role: 'helper', sub: 'helper-03', ward: 'bimson', residentialGroup: 'tdp-03' });
  helperB = await token({ role: 'helper', sub: 'helper-07', ward: 'bimson', residentialGroup: 'tdp-07' });
  helperOtherWard = await token({ role: 'helper', sub: 'helper-qt', ward: 'quangtrung', residentialGroup: 'tdp-01' });
  receiver = await s.token('receiver', 'rcv-1', 'bimson');
  otherReceiver = await s.token('receiver', 'rcv-9', 'quangtrung');
  leader = await s.token('leader', 'leader-1', 'bimson');
});
afterAll(async () => s?.stop());

describe('Local tokens of the second wave', () => {
  it('issues helper tokens only with a residential group of their ward, and citizen tokens with an idNumber', async () => {
    for (const body of [
      { role: 'helper', sub: 'h', ward: 'bimson' },
      { role: 'helper', sub: 'h', ward: 'bimson', residentialGroup: 'tdp-99' },
      { role: 'helper', sub: 'h', residentialGroup: 'tdp-01' },
    ]) {
      const r = await s.call('POST', '/local/token', { body });
      expect(r.status).toBe(422);
    }
    const badId = await s.call('POST', '/local/token', { body: { role: 'citizen', sub: 'c', idNumber: '12ab' } });
    expect(badId.status).toBe(400);
    const province = await s.call('POST', '/local/token', { body: { role: 'province', sub: 'p' } });
    expect(province.status).toBe(200);
  });
});

describe('A helper submits online on a citizen’s behalf', () => {
  let helped: { id: string; code: string };

  it('records who helped and for which group, and the citizen gets the SMS with the code', async () => {
    const r = await submit(helper);
    expect([r.status, r.json.status]).toEqual([201, 1]);
    expect(r.json.assistedBy).toEqual({ sub: 'helper-03', residentialGroup: 'tdp-03' });
    expect(r.json.residentialGroup).toBe('tdp-03');
    expect(r.json.ownerSub).toBeUndefined();
    helped = { id: r.json.id, code: r.json.code };

    const sms = await eventually(async () => {
      const n = await s.call('GET', `/local/notifications?dossierId=${helped.id}`);
      return n.json.items.find(
        (x: { channel: string; audience: string }) => x.channel === 'sms' && x.audience === 'citizen',
      );
    });
    // Sent to the applicant's number in E.164 (+84…), as the SMS channel takes it.
    expect(sms.to).toBe(`+84${applicant(1).phone.slice(1)}`);
    expect(sms.text).toContain(helped.code);
    expect(sms.text).toContain('tổ công nghệ số cộng đồng');
  });

  it('takes another group of the ward when named, and refuses an unknown one', async () => {
    const r = await submit(helper, { residentialGroup: 'tdp-05', applicant: { ...applicant(2), idNumber: ID_BINH } });
    expect(r.status).toBe(201);
    expect(r.json.assistedBy).toEqual({ sub: 'helper-03', residentialGroup: 'tdp-05' });
    const bad = await submit(helper, { residentialGroup: 'tdp-99' });
    expect([bad.status, bad.json.error.code]).toEqual([422, 'UNKNOWN_RESIDENTIAL_GROUP']);
  });

  it('submits only online, and only in the helper’s own ward', async () => {
    const counter = await submit(helper, { channel: 'counter' });
    expect([counter.status, counter.json.error.code]).toEqual([403, 'ONLINE_ONLY_FOR_HELPER']);
    const otherWard = await submit(helperOtherWard);
    expect([otherWard.status, otherWard.json.error.code]).toEqual([403, 'OTHER_WARD']);
    // A helper of Quang Trung may submit for Quang Trung.
    const own = await submit(helperOtherWard, { ward: 'quangtrung', procedureId: 'quangtrung-dang-ky-khai-sinh' });
    expect(own.status).toBe(201);
  });

  it('lets a helper see and list only the dossiers they helped with; another ward’s helper nothing', async () => {
    const mineB = await submit(helperB);
    expect(mineB.status).toBe(201);
    const citizenOwn = await submit(await token({ role: 'citizen', sub: 'citizen-x' }));
    expect(citizenOwn.status).toBe(201);

    const list = await s.call('GET', '/v1/dossiers', { token: helper });
    expect(list.status).toBe(200);
    expect(list.json.items.length).toBe(2);
    expect(list.json.items.every((d: { assistedBy: { sub: string } }) => d.assistedBy.sub === 'helper-03')).toBe(true);
    expect(ids(list)).toContain(helped.id);
    expect(ids(list)).not.toContain(mineB.json.id);
    expect(ids(list)).not.toContain(citizenOwn.json.id);

    expect((await s.call('GET', `/v1/dossiers/${helped.id}`, { token: helper })).status).toBe(200);
    expect((await s.call('GET', `/v1/dossiers/${mineB.json.id}`, { token: helper })).status).toBe(404);
    expect((await s.call('GET', `/v1/dossiers/${citizenOwn.json.id}`, { token: helper })).status).toBe(404);

    const foreign = await s.call('GET', '/v1/dossiers', { token: helperOtherWard });
    expect(foreign.json.items.every((d: { ward: string }) => d.ward === 'quangtrung')).toBe(true);
    expect(ids(foreign)).not.toContain(helped.id);
    expect((await s.call('GET', `/v1/dossiers/${helped.id}`, { token: helperOtherWard })).status).toBe(404);
    // The same member moved to another ward (same sub, another ward's token) sees nothing of the old one.
    const moved = await token({ role: 'helper', sub: 'helper-03', ward: 'quangtrung', residentialGroup: 'tdp-01' });
    expect((await s.call('GET', `/v1/dossiers/${helped.id}`, { token: moved })).status).toBe(404);
    expect(ids(await s.call('GET', '/v1/dossiers', { token: moved }))).toEqual([]);

    // A helper moves nothing and sees no history beyond what the routes allow.
    const move = await s.call('POST', `/v1/dossiers/${helped.id}/transitions`, {
      token: helper,
      body: { to: 2, expectedVersion: 1 },
    });
    expect(move.status).toBe(403);
    const staffFilter = await s.call('GET', '/v1/dossiers?overdue=true', { token: helper });
    expect([staffFilter.status, staffFilter.json.error.code]).toEqual([403, 'STAFF_FILTER']);
  });

  it('shows staff of the ward who helped, and nothing to another ward’s staff', async () => {
    const d = await s.call('GET', `/v1/dossiers/${helped.id}`, { token: receiver });
    expect(d.json.assistedBy).toEqual({ sub: 'helper-03', residentialGroup: 'tdp-03' });
    const list = await s.call('GET', '/v1/dossiers?limit=100', { token: receiver });
    expect(list.json.items.find((x: { id: string }) => x.id === helped.id)?.assistedBy.sub).toBe('helper-03');
    expect((await s.call('GET', `/v1/dossiers/${helped.id}`, { token: otherReceiver })).status).toBe(404);
  });

  it('lets the citizen with that identity number follow it; nobody else', async () => {
    const an = await token({ role: 'citizen', sub: 'vneid-an', idNumber: ID_AN });
    const anWithoutId = await token({ role: 'citizen', sub: 'vneid-an' });
    const binh = await token({ role: 'citizen', sub: 'vneid-binh', idNumber: ID_BINH });

    const list = await s.call('GET', '/v1/dossiers', { token: an });
    expect(list.status).toBe(200);
    expect(ids(list)).toContain(helped.id);
    expect(list.json.items.every((d: { applicant: { idNumber: string } }) => d.applicant.idNumber === ID_AN)).toBe(
      true,
    );
    expect((await s.call('GET', `/v1/dossiers/${helped.id}`, { token: an })).status).toBe(200);
    const history = await s.call('GET', `/v1/dossiers/${helped.id}/history`, { token: an });
    expect([history.status, history.json.items.length]).toEqual([200, 1]);

    for (const other of [anWithoutId, binh]) {
      expect((await s.call('GET', `/v1/dossiers/${helped.id}`, { token: other })).status).toBe(404);
      expect(ids(await s.call('GET', '/v1/dossiers', { token: other }))).not.toContain(helped.id);
    }
    // Binh follows the one submitted for Binh.
    const binhList = await s.call('GET', '/v1/dossiers', { token: binh });
    expect(binhList.json.items.length).toBe(1);

    // The staff accept it; the citizen gets the receipt (form 01) and may withdraw it.
    const accepted = await s.call('POST', `/v1/dossiers/${helped.id}/transitions`, {
      token: receiver,
      body: { to: 2, expectedVersion: 1 },
    });
    expect(accepted.status).toBe(200);
    const form = await s.call('GET', `/v1/dossiers/${helped.id}/forms/01.pdf`, { token: an });
    expect(form.status).toBe(200);
    expect((await s.call('GET', `/v1/dossiers/${helped.id}/forms/01.pdf`, { token: binh })).status).toBe(404);
    const notHis = await s.call('POST', `/v1/dossiers/${helped.id}/withdraw`, { token: binh, body: {} });
    expect(notHis.status).toBe(404);
    const withdrawn = await s.call('POST', `/v1/dossiers/${helped.id}/withdraw`, {
      token: an,
      body: { reason: 'Đã nộp nhầm', expectedVersion: 2 },
    });
    expect([withdrawn.status, withdrawn.json.status]).toEqual([200, 7]);
  });

  it('lists a citizen’s own and followed dossiers once each, newest first, across pages', async () => {
    const an = await token({ role: 'citizen', sub: 'vneid-an', idNumber: ID_AN });
    // An submits one for a relative (another applicant): An owns it, so An sees it too.
    const forRelative = await submit(an, { applicant: { ...applicant(7), idNumber: '038090007777' } });
    expect(forRelative.status).toBe(201);
    // And one for An by An: in both streams (owner and applicant), listed once.
    const forSelf = await submit(an);
    expect(forSelf.status).toBe(201);

    const all = await s.call('GET', '/v1/dossiers?limit=100', { token: an });
    const expected = all.json.items.map((d: { id: string }) => d.id);
    expect(new Set(expected).size).toBe(expected.length);
    expect(expected).toContain(forRelative.json.id);
    expect(expected).toContain(forSelf.json.id);
    expect(expected).toContain(helped.id);
    const times = all.json.items.map((d: { submittedAt: string }) => d.submittedAt);
    expect([...times].sort().reverse()).toEqual(times);

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.call('GET', `/v1/dossiers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: an });
      expect(page.status).toBe(200);
      paged.push(...ids(page));
      cursor = page.json.next;
    } while (cursor);
    expect(paged).toEqual(expected);

    const forged = await s.call('GET', '/v1/dossiers?cursor=eyJhZnRlciI6IngifQ', { token: an });
    expect([forged.status, forged.json.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const status1 = await s.call('GET', '/v1/dossiers?status=7', { token: an });
    expect(ids(status1)).toEqual([helped.id]);
  });
});

describe('The report by residential group', () => {
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

  it('counts received, assisted and the online rate per group, in JSON and CSV, for leaders and admins', async () => {
    // A counter dossier of group 3 (not online, not assisted).
    const counter = await s.call('POST', '/v1/dossiers', {
      token: receiver,
      body: {
        ward: 'bimson',
        procedureId: 'bimson-dang-ky-khai-sinh',
        channel: 'counter',
        residentialGroup: 'tdp-03',
        applicant: applicant(9),
      },
    });
    expect(counter.status).toBe(201);
    const q = `/v1/reports?from=${today}&to=${today}&by=residentialGroup`;
    const report = await eventually(async () => {
      const r = await s.call('GET', q, { token: leader });
      const g3 = r.json.residentialGroups?.find((x: { residentialGroup: string }) => x.residentialGroup === 'tdp-03');
      return g3?.received === 2 &&
        r.json.residentialGroups.find((x: { residentialGroup: string }) => x.residentialGroup === 'tdp-05')
          ?.received === 1
        ? r
        : undefined;
    });
    const rows = report.json.residentialGroups as {
      residentialGroup: string | null;
      received: number;
      assisted: number;
      onlineRate: number;
    }[];
    expect(rows.filter((x) => x.residentialGroup !== null)).toHaveLength(35);
    expect(rows.find((x) => x.residentialGroup === 'tdp-03')).toMatchObject({
      received: 2,
      assisted: 1,
      onlineRate: 0.5,
    });
    expect(rows.find((x) => x.residentialGroup === 'tdp-05')).toMatchObject({
      received: 1,
      assisted: 1,
      onlineRate: 1,
    });
    expect(rows.find((x) => x.residentialGroup === 'tdp-07')).toMatchObject({ received: 1, assisted: 1 });
    expect(rows.find((x) => x.residentialGroup === 'tdp-20')).toMatchObject({
      received: 0,
      assisted: 0,
      onlineRate: 0,
    });
    expect(report.json).toHaveProperty('onlineRate');

    const csv = await s.call('GET', `${q}&format=csv`, { token: await s.token('admin', 'admin-1', 'bimson') });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('residentialGroup,name,received,assisted,online,onlineRate');
    expect(lines).toContain('tdp-03,Tổ dân phố số 3,2,1,1,0.5');

    expect((await s.call('GET', q, { token: helper })).status).toBe(403);
    expect((await s.call('GET', q, { token: receiver })).status).toBe(403);
    const pub = await s.call('GET', `/v1/reports/public?ward=bimson&from=${today}&to=${today}&by=residentialGroup`);
    expect(pub.json.residentialGroups).toBeUndefined();
  });
});

describe('OpenAPI', () => {
  it('lists the new routes with their roles', async () => {
    const doc = (await s.call('GET', '/openapi.json')).json;
    expect(doc.paths['/v1/wards/{ward}/residential-groups'].get['x-roles']).toBe('public');
    expect(doc.paths['/v1/admin/residential-groups'].put['x-roles']).toEqual(['admin']);
    expect(doc.paths['/v1/province/wards/{ward}'].put['x-roles']).toEqual(['province']);
    expect(doc.paths['/v1/dossiers'].post['x-roles']).toContain('helper');
    expect(doc.paths['/v1/dossiers'].get['x-roles']).toContain('helper');
  });
});
