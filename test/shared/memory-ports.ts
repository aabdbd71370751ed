/** In-memory ports for use-case tests in test/shared (one module at a time, no servers). */
import { defaultCalendar, type WorkingCalendar } from '../../shared/calendar.ts';
import type { Procedure } from '../../shared/catalog.ts';
import type { Dossier, HistoryEntry } from '../../shared/dossier.ts';
import { ConflictError } from '../../shared/errors.ts';
import type { AnyDomainEvent } from '../../shared/events.ts';
import type {
  CalendarRepository,
  CatalogRepository,
  Clock,
  DossierChange,
  DossierFilter,
  DossierListings,
  DossierRepository,
  NewDossier,
} from '../../shared/ports.ts';
import { staticWardDirectory } from '../../shared/ward-directory.ts';

/** The seed wards, in memory. */
export const memoryWards = () => staticWardDirectory();

export class MemoryDossiers implements DossierRepository, DossierListings {
  readonly items = new Map<string, Dossier>();
  readonly events: AnyDomainEvent[] = [];
  readonly histories: HistoryEntry[] = [];
  private n = 0;
  async create(unitCode: string, day: string, build: (code: string) => NewDossier): Promise<Dossier> {
    const { dossier, history, events } = build(`${unitCode}-${day}-${String(++this.n).padStart(4, '0')}`);
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
    if (this.items.get(next.id)?.version !== expectedVersion) throw new ConflictError('STALE_VERSION', 'stale');
    this.items.set(next.id, next);
    if (history) this.histories.push(history);
    this.events.push(...events);
  }
  async history(id: string) {
    return this.histories.filter((h) => h.dossierId === id);
  }
  async listByWard() {
    return { items: [...this.items.values()] };
  }
  async listByOwner() {
    return { items: [] };
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

export const memoryCatalog = (procedures: Procedure[]): CatalogRepository => ({
  get: async (id) => procedures.find((p) => p.id === id),
  listByWard: async () => ({ items: procedures }),
  put: async () => undefined,
});

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
