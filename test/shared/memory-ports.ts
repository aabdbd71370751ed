/** In-memory ports for use-case tests in test/shared (one module at a time, no servers). */
import { defaultCalendar, type WorkingCalendar } from '#shared/calendar.ts';
import type { Procedure } from '#shared/catalog.ts';
import { type Dossier, type HistoryEntry, isClockRunning } from '#shared/dossier.ts';
import { ConflictError } from '#shared/errors.ts';
import type { AnyDomainEvent } from '#shared/events.ts';
import type {
  CalendarRepository,
  CatalogRepository,
  Clock,
  DossierChange,
  DossierFilter,
  DossierListings,
  DossierRepository,
  NewDossier,
} from '#shared/ports.ts';
import { publicState } from '#shared/transition.ts';
import { staticWardDirectory } from '#shared/ward-directory.ts';

/** The seed wards, in memory. */
export const memoryWards = () => staticWardDirectory();

/** Newest first, as the table's indexes list them (sort key `submittedAt#id`, read backwards). */
const newestFirst = (a: Dossier, b: Dossier) => `${b.submittedAt}#${b.id}`.localeCompare(`${a.submittedAt}#${a.id}`);

/** The moment a dossier is (or becomes) late, as the due-date index keys it; undefined: not in it. */
const dueMoment = (d: Dossier): string | undefined => {
  if (!d.dueAt || !isClockRunning(d)) return undefined;
  return d.lateSince && d.lateSince < d.dueAt ? d.lateSince : d.dueAt;
};

const page = (items: Dossier[], f: DossierFilter) => ({
  items: items
    .filter(
      (d) => (f.status === undefined || d.status === f.status) && (!f.procedureId || d.procedureId === f.procedureId),
    )
    .slice(0, f.limit),
});

/**
 * The dossier repository in memory, answering as functions/adapters/dynamo-dossiers.ts does (the
 * port contract in test/contract checks both): gap-free numbers per unit and day, STALE_VERSION
 * with the current state, lists per ward and owner newest first within the limit.
 */
export class MemoryDossiers implements DossierRepository, DossierListings {
  readonly items = new Map<string, Dossier>();
  readonly events: AnyDomainEvent[] = [];
  readonly histories: HistoryEntry[] = [];
  private readonly sequences = new Map<string, number>();
  async create(unitCode: string, day: string, build: (code: string) => NewDossier): Promise<Dossier> {
    const n = (this.sequences.get(`${unitCode}#${day}`) ?? 0) + 1;
    this.sequences.set(`${unitCode}#${day}`, n);
    const { dossier, history, events } = build(`${unitCode}-${day}-${String(n).padStart(4, '0')}`);
    this.items.set(dossier.id, dossier);
    this.histories.push(history);
    this.events.push(...events);
    return dossier;
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async getByCode(code: string) {
    return [...this.items.values()].find((d) => d.code === code);
  }
  async commit({ next, expectedVersion, history, events }: DossierChange) {
    const current = this.items.get(next.id);
    if (current?.version !== expectedVersion) {
      throw new ConflictError(
        'STALE_VERSION',
        'Hồ sơ đã được người khác cập nhật; hãy tải lại.',
        current ? publicState(current) : undefined,
      );
    }
    this.items.set(next.id, next);
    if (history) this.histories.push(history);
    this.events.push(...events);
  }
  async history(id: string) {
    return this.histories.filter((h) => h.dossierId === id);
  }
  async getWithHistory(id: string) {
    const dossier = this.items.get(id);
    return dossier ? { dossier, history: await this.history(id) } : undefined;
  }
  async listByWard(ward: string, f: DossierFilter) {
    const mine = [...this.items.values()].filter((d) => d.ward === ward);
    if (f.dueBefore) {
      const before = f.dueBefore;
      const due = mine
        .map((d) => ({ d, at: dueMoment(d) }))
        .filter(
          (x): x is { d: Dossier; at: string } =>
            x.at !== undefined && x.at < before && (!f.dueAfter || x.at >= f.dueAfter),
        )
        .sort((a, b) => `${a.at}#${a.d.id}`.localeCompare(`${b.at}#${b.d.id}`));
      return page(
        due.map((x) => x.d),
        f,
      );
    }
    return page(mine.sort(newestFirst), f);
  }
  async listByOwner(sub: string, f: DossierFilter) {
    return page([...this.items.values()].filter((d) => d.ownerSub === sub).sort(newestFirst), f);
  }
  async listReceived(ward: string, fromIso: string, toIso: string) {
    const items = [...this.items.values()].filter(
      (d) => d.ward === ward && d.submittedAt >= fromIso && d.submittedAt <= toIso,
    );
    return { items };
  }
  async listDue() {
    return { items: [] };
  }
  async listByHelper(ward: string, sub: string, f: DossierFilter) {
    const items = [...this.items.values()].filter((d) => d.ward === ward && d.assistedBy?.sub === sub);
    return { items: items.slice(0, f.limit) };
  }
  async listFollowed(sub: string, idNumber: string, f: DossierFilter) {
    const items = [...this.items.values()].filter((d) => d.ownerSub === sub || d.applicant.idNumber === idNumber);
    return { items: items.slice(0, f.limit) };
  }
}

/**
 * The catalog in memory, as functions/adapters/dynamo-catalog.ts: a put without a version only
 * creates, with one only replaces that version (STALE_VERSION otherwise); lists by ward.
 */
export const memoryCatalog = (procedures: Procedure[]): CatalogRepository => {
  const items = new Map(procedures.map((p) => [p.id, p]));
  return {
    get: async (id) => items.get(id),
    listByWard: async (ward, opts) => ({
      items: [...items.values()]
        .filter((p) => p.ward === ward)
        .sort((a, b) => a.id.localeCompare(b.id))
        .slice(0, opts.limit),
    }),
    put: async (p, expectedVersion) => {
      const stored = items.get(p.id);
      if (expectedVersion === undefined ? stored !== undefined : stored?.version !== expectedVersion) {
        throw new ConflictError('STALE_VERSION', 'Thủ tục vừa được người khác cập nhật; hãy thử lại.');
      }
      items.set(p.id, p);
    },
  };
};

export const memoryCalendars = (cal: WorkingCalendar = defaultCalendar()): CalendarRepository => ({
  get: async () => cal,
  putYear: async () => undefined,
});

export const fixedClock = (iso: string): Clock & { set(iso: string): void } => {
  let now = new Date(iso);
  return {
    now: () => now,
    set: (s: string) => {
      now = new Date(s);
    },
  };
};

/**
 * The dependencies of the dossier use cases, all in memory: the seed wards, the default calendar,
 * the catalog holding `procedures` (one test procedure by default), a clock fixed at `now`.
 */
export const memoryDeps = (opts: { procedures?: Procedure[]; now?: string } = {}) => ({
  dossiers: new MemoryDossiers(),
  catalog: memoryCatalog(opts.procedures ?? [procedure()]),
  calendars: memoryCalendars(),
  wards: memoryWards(),
  clock: fixedClock(opts.now ?? '2026-03-02T02:00:00Z'),
});

export const procedure = (over: Partial<Procedure> = {}): Procedure => ({
  id: 'thu-tuc',
  ward: 'bimson',
  version: 1,
  updatedAt: '2025-01-01T00:00:00Z',
  name: 'Thủ tục thử',
  field: 'Hộ tịch',
  channels: ['full-online', 'counter'],
  durationDays: 2,
  fee: 0,
  documents: [
    { id: 'to-khai', name: 'Tờ khai', originals: 1, copies: 0, required: true },
    { id: 'ban-sao', name: 'Bản sao giấy tờ', originals: 0, copies: 2, required: true },
  ],
  resultForm: 'both',
  legalBasis: [],
  active: true,
  ...over,
});

export const applicant = { fullName: 'Nguyễn Văn An', idNumber: '038123456789', phone: '0912345678' };
