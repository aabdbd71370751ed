/**
 * Wards as data (issue 18, point 1): a province adds a ward through the API, without a deploy or
 * a restart, and it works at once: its catalog, its dossiers (with its own unit code), its staff,
 * its kiosks and calendar. A ward admin manages only their own ward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
let province: string;
beforeAll(async () => {
  s = await startStack();
  province = await s.token('province', 'province-th');
});
afterAll(async () => s?.stop());

const dongson = {
  name: 'Phường Đông Sơn',
  unitCode: 'H56.27.09',
  province: 'Tỉnh Thanh Hóa',
  points: [{ id: 'dongson-tt', name: 'Điểm tiếp nhận trung tâm', counters: ['ds-1', 'ds-2'] }],
  residentialGroups: [
    { id: 'tdp-a', name: 'Tổ dân phố A' },
    { id: 'tdp-b', name: 'Tổ dân phố B' },
  ],
  catalogFrom: 'bimson',
};

describe('Residential groups (tổ dân phố) over HTTP', () => {
  it("lists Bỉm Sơn's 35 groups and Quang Trung's own, publicly; an unknown ward is 404", async () => {
    const bim = await s.call('GET', '/v1/wards/bimson/residential-groups');
    expect(bim.status).toBe(200);
    expect(bim.json.items).toHaveLength(35);
    expect(bim.json.items[0]).toEqual({ id: 'tdp-01', name: 'Tổ dân phố số 1' });
    const qt = await s.call('GET', '/v1/wards/quangtrung/residential-groups');
    expect(qt.json.items.length).toBeGreaterThan(0);
    expect(qt.json.items.length).not.toBe(35);
    const none = await s.call('GET', '/v1/wards/nowhere/residential-groups');
    expect([none.status, none.json.error.code]).toEqual([404, 'WARD_NOT_FOUND']);
  });

  it("lets a ward's admin replace its own groups, and no other ward's", async () => {
    const admin = await s.token('admin', 'admin-qt', 'quangtrung');
    const items = [
      { id: 'tdp-01', name: 'Tổ dân phố Quang Trung 1' },
      { id: 'tdp-02', name: 'Tổ dân phố Quang Trung 2' },
      { id: 'tdp-moi', name: 'Tổ dân phố mới' },
    ];
    const put = await s.call('PUT', '/v1/admin/residential-groups', { token: admin, body: { items } });
    expect(put.status).toBe(200);
    expect((await s.call('GET', '/v1/wards/quangtrung/residential-groups')).json.items).toEqual(items);

    const other = await s.call('PUT', '/v1/admin/residential-groups', {
      token: admin,
      body: { ward: 'bimson', items: [{ id: 'x', name: 'X' }] },
    });
    expect([other.status, other.json.error.code]).toEqual([403, 'OTHER_WARD']);
    expect((await s.call('GET', '/v1/wards/bimson/residential-groups')).json.items).toHaveLength(35);

    const receiver = await s.token('receiver', 'rcv-qt', 'quangtrung');
    const notAdmin = await s.call('PUT', '/v1/admin/residential-groups', { token: receiver, body: { items } });
    expect(notAdmin.status).toBe(403);
    const dup = await s.call('PUT', '/v1/admin/residential-groups', {
      token: admin,
      body: { items: [items[0], items[0]] },
    });
    expect([dup.status, dup.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const stale = await s.call('PUT', '/v1/admin/residential-groups', {
      token: admin,
      body: { items, expectedVersion: 1 },
    });
    expect([stale.status, stale.json.error.code]).toEqual([409, 'STALE_VERSION']);
  });
});

describe('A province adds a ward through the API (no deploy, no restart)', () => {
  it('refuses everyone but the province role', async () => {
    const admin = await s.token('admin', 'admin-1', 'bimson');
    const asAdmin = await s.call('PUT', '/v1/province/wards/quangtrung', { token: admin, body: dongson });
    expect(asAdmin.status).toBe(403);
    const anonymous = await s.call('PUT', '/v1/province/wards/dongson', { body: dongson });
    expect(anonymous.status).toBe(401);
    // Nothing was created by the refused calls.
    expect((await s.call('GET', '/v1/procedures?ward=dongson')).status).toBe(404);
  });

  it('serves the new ward at once: catalog, residential groups, calendar, staff, dossiers with its unit code', async () => {
    const put = await s.call('PUT', '/v1/province/wards/dongson', { token: province, body: dongson });
    expect(put.status).toBe(201);
    expect(put.json).toMatchObject({ id: 'dongson', unitCode: 'H56.27.09', version: 1 });
    expect(put.json.copiedProcedures).toBeGreaterThanOrEqual(5);

    const catalog = await s.call('GET', '/v1/procedures?ward=dongson');
    expect(catalog.status).toBe(200);
    expect(catalog.json.items.length).toBe(put.json.copiedProcedures);
    expect(catalog.json.items.every((p: { ward: string; id: string }) => p.ward === 'dongson')).toBe(true);
    expect(catalog.json.items.every((p: { id: string }) => p.id.startsWith('dongson-'))).toBe(true);
    // The source ward's catalog is untouched.
    const bim = await s.call('GET', '/v1/procedures?ward=bimson');
    expect(bim.json.items.every((p: { ward: string }) => p.ward === 'bimson')).toBe(true);

    const groups = await s.call('GET', '/v1/wards/dongson/residential-groups');
    expect(groups.json.items).toEqual(dongson.residentialGroups);
    const cal = await s.call('GET', '/v1/calendar/dongson/add?from=2026-06-09T08:00:00%2B07:00&hours=8');
    expect(cal.status).toBe(200);

    const citizen = await s.token('citizen', 'citizen-ds');
    const online = await s.call('POST', '/v1/dossiers', {
      token: citizen,
      body: {
        ward: 'dongson',
        procedureId: 'dongson-dang-ky-khai-sinh',
        channel: 'online',
        applicant: applicant(1),
      },
    });
    expect(online.status).toBe(201);
    expect(online.json.code).toMatch(/^H56\.27\.09-\d{8}-0001$/);

    const receiver = await s.token('receiver', 'rcv-ds', 'dongson');
    const counter = await s.call('POST', '/v1/dossiers', {
      token: receiver,
      body: {
        ward: 'dongson',
        procedureId: 'dongson-dang-ky-khai-sinh',
        channel: 'counter',
        applicant: applicant(2),
      },
    });
    expect([counter.status, counter.json.status]).toEqual([201, 2]);
    expect(counter.json.code).toMatch(/^H56\.27\.09-\d{8}-0002$/);
    const accepted = await s.call('POST', `/v1/dossiers/${online.json.id}/transitions`, {
      token: receiver,
      body: { to: 2, expectedVersion: 1 },
    });
    expect([accepted.status, accepted.json.status]).toEqual([200, 2]);

    // Another ward's staff does not see it; the new ward's staff cannot submit for Bỉm Sơn.
    const bimReceiver = await s.token('receiver', 'rcv-1', 'bimson');
    expect((await s.call('GET', `/v1/dossiers/${online.json.id}`, { token: bimReceiver })).status).toBe(404);
    const cross = await s.call('POST', '/v1/dossiers', {
      token: receiver,
      body: { ward: 'bimson', procedureId: 'bimson-dang-ky-khai-sinh', channel: 'counter', applicant: applicant(3) },
    });
    expect([cross.status, cross.json.error.code]).toEqual([403, 'OTHER_WARD']);
  });

  it("runs the new ward's kiosk numbers at its new receiving point", async () => {
    const kiosk = await s.token('kiosk', 'kiosk-ds', 'dongson');
    const ticket = await s.call('POST', '/v1/queue/tickets', {
      token: kiosk,
      body: { point: 'dongson-tt', group: 'hotich' },
    });
    expect(ticket.status).toBe(201);
    expect(ticket.json.display).toBe('A001');
    const receiver = await s.token('receiver', 'rcv-ds', 'dongson');
    const next = await s.call('POST', '/v1/queue/counters/ds-1/next', { token: receiver });
    expect([next.status, next.json.ticket.display]).toEqual([200, 'A001']);
    const board = await s.call('GET', '/v1/queue/board?point=dongson-tt');
    expect(board.status).toBe(200);
    // A Bỉm Sơn kiosk cannot issue numbers there.
    const bimKiosk = await s.token('kiosk', 'kiosk-1', 'bimson');
    const foreign = await s.call('POST', '/v1/queue/tickets', {
      token: bimKiosk,
      body: { point: 'dongson-tt', group: 'hotich' },
    });
    expect([foreign.status, foreign.json.error.code]).toEqual([403, 'OTHER_WARD']);
  });

  it("lets the new ward's admin keep its groups and catalog, and nothing of another ward", async () => {
    const admin = await s.token('admin', 'admin-ds', 'dongson');
    const groups = await s.call('PUT', '/v1/admin/residential-groups', {
      token: admin,
      body: { items: [{ id: 'tdp-a', name: 'Tổ dân phố A (đổi tên)' }] },
    });
    expect(groups.status).toBe(200);
    const bimGroups = await s.call('PUT', '/v1/admin/residential-groups', {
      token: admin,
      body: { ward: 'bimson', items: [] },
    });
    expect(bimGroups.status).toBe(403);
    const proc = await s.call('PUT', '/v1/admin/procedures/bimson-dang-ky-khai-sinh', {
      token: admin,
      body: { name: 'X', field: 'Hộ tịch', channels: ['counter'], durationDays: 1, fee: 0 },
    });
    expect(proc.status).toBe(403);
  });

  it('changes a ward conditionally, keeps a unit code to one ward, and validates the body', async () => {
    const stale = await s.call('PUT', '/v1/province/wards/dongson', {
      token: province,
      body: { ...dongson, catalogFrom: undefined, expectedVersion: 1 },
    });
    // The admin's edit above moved the version on: version 1 is stale.
    expect([stale.status, stale.json.error.code]).toEqual([409, 'STALE_VERSION']);
    const renamed = await s.call('PUT', '/v1/province/wards/dongson', {
      token: province,
      body: {
        name: 'Phường Đông Sơn (mới)',
        unitCode: 'H56.27.09',
        points: [{ id: 'dongson-tt', name: 'Điểm tiếp nhận trung tâm', counters: ['ds-1', 'ds-2', 'ds-3'] }],
      },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.name).toBe('Phường Đông Sơn (mới)');
    // Residential groups not given are kept.
    expect((await s.call('GET', '/v1/wards/dongson/residential-groups')).json.items).toHaveLength(1);

    const taken = await s.call('PUT', '/v1/province/wards/other', {
      token: province,
      body: { ...dongson, catalogFrom: undefined, unitCode: 'H56.27.01' },
    });
    expect([taken.status, taken.json.error.code]).toEqual([409, 'UNIT_CODE_TAKEN']);
    expect((await s.call('GET', '/v1/wards/other/residential-groups')).status).toBe(404);

    const unknownSource = await s.call('PUT', '/v1/province/wards/other', {
      token: province,
      body: { ...dongson, unitCode: 'H56.27.10', catalogFrom: 'nowhere' },
    });
    expect([unknownSource.status, unknownSource.json.error.code]).toEqual([422, 'UNKNOWN_WARD']);
    for (const body of [
      { ...dongson, unitCode: 'lower.case' },
      { ...dongson, points: [] },
      { ...dongson, points: [dongson.points[0], dongson.points[0]] },
      { ...dongson, extra: 1 },
    ]) {
      const r = await s.call('PUT', '/v1/province/wards/other', { token: province, body });
      expect([r.status, r.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const badId = await s.call('PUT', '/v1/province/wards/Bad_Id', { token: province, body: dongson });
    expect(badId.status).toBe(404);
  });

  it('copies only the procedures with the given national codes when asked', async () => {
    const r = await s.call('PUT', '/v1/province/wards/hatrung', {
      token: province,
      body: {
        ...dongson,
        name: 'Xã Hà Trung',
        unitCode: 'H56.27.11',
        points: [{ id: 'hatrung-1', name: 'Điểm tiếp nhận', counters: ['ht-1'] }],
        nationalCodes: ['1.001193'],
      },
    });
    expect(r.status).toBe(201);
    expect(r.json.copiedProcedures).toBe(1);
    const list = await s.call('GET', '/v1/procedures?ward=hatrung');
    expect(list.json.items.map((p: { nationalCode: string }) => p.nationalCode)).toEqual(['1.001193']);
    const wards = await s.call('GET', '/v1/province/wards', { token: province });
    expect(wards.json.items.map((w: { id: string }) => w.id).sort()).toEqual(
      ['bimson', 'dongson', 'hatrung', 'quangtrung'].sort(),
    );
  });
});
