import { describe, expect, it } from 'vitest';
import type { Dossier } from '#shared/dossier.ts';
import { AppError } from '#shared/errors.ts';
import type { LookupGuard } from '#shared/ports.ts';
import { LOOKUP_FAILURES_PER_HOUR, lookupDossier } from '#shared/use-cases/lookup.ts';

const CODE = 'H56.27.01-20260310-0007';
const dossier = {
  id: '6f1c1e1a-0000-4000-8000-000000000001',
  code: CODE,
  ward: 'bimson',
  procedureId: 'bimson-chung-thuc',
  procedureName: 'Chứng thực chữ ký',
  channel: 'online',
  status: 2,
  version: 2,
  ownerSub: 'citizen-a',
  createdBy: 'citizen-a',
  applicant: { fullName: 'Nguyễn Văn An', idNumber: '038190012345', phone: '0912345678' },
  components: [],
  durationHours: 16,
  fee: 0,
  submittedAt: '2026-03-10T01:00:00.000Z',
  acceptedAt: '2026-03-10T01:30:00.000Z',
  appointmentAt: '2026-03-12T01:30:00.000Z',
  dueAt: '2026-03-12T01:30:00.000Z',
  pauses: [],
  supplementCount: 0,
  updatedAt: '2026-03-10T01:30:00.000Z',
} satisfies Dossier;

class MemoryGuard implements LookupGuard {
  readonly counts = new Map<string, number>();
  async take(client: string, code: string, hour: string, limit: number) {
    const k = `${client}|${code}|${hour}`;
    const n = this.counts.get(k) ?? 0;
    if (n >= limit) return false;
    this.counts.set(k, n + 1);
    return true;
  }
  async giveBack(client: string, code: string, hour: string) {
    const k = `${client}|${code}|${hour}`;
    const n = this.counts.get(k) ?? 0;
    if (n <= 1) this.counts.delete(k);
    else this.counts.set(k, n - 1);
  }
}

function setup() {
  let now = new Date('2026-03-10T03:10:00.000Z');
  const guard = new MemoryGuard();
  const deps = {
    dossiers: { getByCode: async (c: string) => (c === CODE ? dossier : undefined) },
    guard,
    clock: { now: () => now },
  };
  const look = async (code: string, phone: string, client = '203.0.113.7') => {
    try {
      return await lookupDossier(deps, code, phone, client);
    } catch (e) {
      if (e instanceof AppError) return `${e.status} ${e.code}`;
      throw e;
    }
  };
  return { guard, look, later: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('Use case: lookupDossier', () => {
  it("shows the receipt's facts with the right last four digits, the name masked", async () => {
    const { look } = setup();
    expect(await look(CODE, '5678')).toEqual({
      code: CODE,
      procedureName: 'Chứng thực chữ ký',
      applicant: 'N. V. An',
      status: 2,
      statusName: expect.any(String),
      submittedAt: '2026-03-10T01:00:00.000Z',
      appointmentAt: '2026-03-12T01:30:00.000Z',
      overdue: false,
    });
  });

  it('answers a wrong phone like an unknown code, and counts both', async () => {
    const { look, guard } = setup();
    expect(await look(CODE, '0000')).toBe('404 DOSSIER_NOT_FOUND');
    expect(await look('H56.27.01-20260310-9999', '5678')).toBe('404 DOSSIER_NOT_FOUND');
    expect([...guard.counts.values()]).toEqual([1, 1]);
  });

  it('does not count malformed input (it guesses nothing)', async () => {
    const { look, guard } = setup();
    for (const [code, phone] of [
      [CODE, '567'],
      [CODE, '0912345678'],
      ['not-a-code', '5678'],
    ] as const) {
      expect(await look(code, phone)).toBe('404 DOSSIER_NOT_FOUND');
    }
    expect(guard.counts.size).toBe(0);
  });

  it('refuses a code for the rest of the hour after too many misses, even with the right phone', async () => {
    const { look, later } = setup();
    for (let i = 0; i < LOOKUP_FAILURES_PER_HOUR; i++)
      expect(await look(CODE, `000${i}`)).toBe('404 DOSSIER_NOT_FOUND');
    expect(await look(CODE, '5678')).toBe('429 TOO_MANY_ATTEMPTS');
    expect(await look(CODE, '0009')).toBe('429 TOO_MANY_ATTEMPTS');
    // Another code is not affected; the next hour starts afresh.
    expect(await look('H56.27.01-20260310-0008', '5678')).toBe('404 DOSSIER_NOT_FOUND');
    later(60 * 60_000);
    expect(await look(CODE, '5678')).toMatchObject({ code: CODE });
  });

  it("counts per client: a stranger's misses never lock the citizen out, and right lookups are not misses", async () => {
    const { look } = setup();
    for (let i = 0; i < LOOKUP_FAILURES_PER_HOUR + 3; i++) await look(CODE, `000${i % 10}`, '198.51.100.66');
    expect(await look(CODE, '5678', '198.51.100.66')).toBe('429 TOO_MANY_ATTEMPTS');
    for (let i = 0; i < 3 * LOOKUP_FAILURES_PER_HOUR; i++)
      expect(await look(CODE, '5678', '203.0.113.7')).toMatchObject({ code: CODE });
  });

  it('locks an unknown code the same way, so the refusal does not tell which codes exist', async () => {
    const { look } = setup();
    const unknown = 'H56.27.01-20260310-9999';
    for (let i = 0; i < LOOKUP_FAILURES_PER_HOUR; i++) await look(unknown, `000${i}`);
    expect(await look(unknown, '5678')).toBe('429 TOO_MANY_ATTEMPTS');
  });
});
