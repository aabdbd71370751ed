import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => s?.stop());

const add = (from: string, hours: number, ward = 'bimson') =>
  s.call('GET', `/v1/calendar/${ward}/add?from=${encodeURIComponent(from)}&hours=${hours}`);

describe('Route: GET /v1/calendar/{ward}/add', () => {
  it.each([
    // Friday before Tết 2026 (off Sat 14/2 - Sun 22/2): 1 h left on Friday, 7 h on Monday 23/2.
    ['2026-02-13T16:00:00+07:00', 8, '2026-02-23T16:00:00+07:00'],
    // 30/4 - 3/5/2026 off: Wednesday 29/4 15:00 + 16 h -> Tuesday 5/5 15:00.
    ['2026-04-29T15:00:00+07:00', 16, '2026-05-05T15:00:00+07:00'],
    // 2/9/2026 (29/8 - 2/9 off, Saturday 22/8 worked): Friday 28/8 16:00 + 8 h -> Thursday 3/9 16:00.
    ['2026-08-28T16:00:00+07:00', 8, '2026-09-03T16:00:00+07:00'],
    // After hours rolls to the next working morning; lunch break skipped.
    ['2026-03-05T18:30:00+07:00', 1, '2026-03-06T08:00:00+07:00'],
    ['2026-03-05T11:00:00+07:00', 1, '2026-03-05T14:00:00+07:00'],
  ])('from %s plus %d working hours is %s', async (from, hours, due) => {
    const r = await add(from, hours);
    expect(r.status).toBe(200);
    expect(r.json.due).toBe(new Date(due).toISOString());
    expect(r.json.hours).toBe(hours);
  });

  it('refuses bad input with 4xx and a stable code', async () => {
    expect((await add('yesterday', 8)).json.error.code).toBe('VALIDATION_FAILED');
    expect((await add('2026-03-05T08:00:00+07:00', -1)).status).toBe(400);
    expect((await add('2026-03-05T08:00:00+07:00', 8, 'nowhere')).status).toBe(404);
  });
});

describe('Route: PUT /v1/admin/calendar/{year}', () => {
  it("lets a ward's administrator add a day off, which the deadlines then skip, for that ward only", async () => {
    const admin = await s.token('admin', 'admin-1', 'bimson');
    const cur = await s.call('GET', '/v1/admin/calendar/2026', { token: admin });
    expect(cur.status).toBe(200);
    expect(cur.json.holidays).toContain('2026-02-17');
    // 24/11 (Vietnam Culture Day) is configurable: make it a day off for Bỉm Sơn.
    const put = await s.call('PUT', '/v1/admin/calendar/2026', {
      token: admin,
      body: { holidays: [...cur.json.holidays, '2026-11-24'], workingDays: cur.json.workingDays },
    });
    expect(put.status).toBe(200);
    const bim = await add('2026-11-23T16:00:00+07:00', 2);
    expect(bim.json.due).toBe(new Date('2026-11-25T08:00:00+07:00').toISOString());
    const other = await add('2026-11-23T16:00:00+07:00', 2, 'quangtrung');
    expect(other.json.due).toBe(new Date('2026-11-24T08:00:00+07:00').toISOString());
  });

  it('refuses a date of another year, a weekday as a working day, other roles', async () => {
    const admin = await s.token('admin', 'admin-1', 'bimson');
    const wrongYear = await s.call('PUT', '/v1/admin/calendar/2026', {
      token: admin,
      body: { holidays: ['2027-01-01'], workingDays: [] },
    });
    expect(wrongYear.status).toBe(400);
    const weekday = await s.call('PUT', '/v1/admin/calendar/2026', {
      token: admin,
      body: { holidays: [], workingDays: ['2026-03-04'] },
    });
    expect(weekday.status).toBe(400);
    const leader = await s.token('leader', 'l-1', 'bimson');
    expect(
      (await s.call('PUT', '/v1/admin/calendar/2026', { token: leader, body: { holidays: [], workingDays: [] } }))
        .status,
    ).toBe(403);
    expect((await s.call('GET', '/v1/admin/calendar/1999', { token: admin })).json.error.code).toBe('INVALID_YEAR');
  });
});
