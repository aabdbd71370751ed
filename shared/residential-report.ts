/**
 * The report by residential group (tổ dân phố): per group, how many dossiers were received, how
 * many a community digital team helped submit, and the online rate, so the ward knows where to
 * send its teams. Pure arithmetic over the statistics' fact rows.
 */
import type { DossierFact } from './indicators.ts';
import type { ResidentialGroup } from './wards.ts';

interface ResidentialGroupRow {
  /** The group's id; null for the dossiers whose group is not known. */
  readonly residentialGroup: string | null;
  readonly name: string;
  readonly received: number;
  readonly assisted: number;
  readonly online: number;
  readonly onlineRate: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

/**
 * One row per group of the ward (zeros included: a group with nothing is where help is needed),
 * in the ward's order, then groups no longer listed, then a row for dossiers without a group.
 */
export function residentialGroupRows(
  facts: readonly DossierFact[],
  groups: readonly ResidentialGroup[],
): ResidentialGroupRow[] {
  const counts = new Map<string | null, { received: number; assisted: number; online: number }>();
  for (const f of facts) {
    const key = f.residentialGroup ?? null;
    const c = counts.get(key) ?? { received: 0, assisted: 0, online: 0 };
    c.received++;
    if (f.assisted) c.assisted++;
    if (f.online) c.online++;
    counts.set(key, c);
  }
  const row = (id: string | null, name: string): ResidentialGroupRow => {
    const c = counts.get(id) ?? { received: 0, assisted: 0, online: 0 };
    return { residentialGroup: id, name, ...c, onlineRate: ratio(c.online, c.received) };
  };
  const listed = new Set(groups.map((g) => g.id));
  const rows = groups.map((g) => row(g.id, g.name));
  for (const id of counts.keys()) if (id !== null && !listed.has(id)) rows.push(row(id, id));
  if (counts.has(null)) rows.push(row(null, 'Chưa rõ tổ dân phố'));
  return rows;
}

/** The rows as CSV (one header row, one row per group), for spreadsheets. */
export function residentialGroupCsv(rows: readonly ResidentialGroupRow[]): string {
  const cell = (v: unknown) => {
    const s = String(v ?? '');
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = ['residentialGroup', 'name', 'received', 'assisted', 'online', 'onlineRate'] as const;
  return `${head.join(',')}\n${rows.map((r) => head.map((k) => cell(r[k])).join(',')).join('\n')}\n`;
}
