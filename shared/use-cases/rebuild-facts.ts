/**
 * Rebuilds the indicator facts from the stored dossiers (`npm run rebuild-facts`). The statistics
 * keep the facts from the table's stream, which holds its records 24 hours: a batch the statistics
 * gave up on and nobody redrove in time leaves those dossiers' facts behind until their next
 * change. This walks each ward's dossiers and writes the fact of every one whose row is missing or
 * older (the writer's version guard leaves current rows alone), so it can run at any time, twice,
 * or beside the statistics.
 */
import { factOf } from '../indicators.ts';
import type { DossierRepository, FactWriter } from '../ports.ts';

interface RebuildDeps {
  readonly dossiers: Pick<DossierRepository, 'listByWard'>;
  readonly facts: FactWriter;
}

/** Dossiers read and facts written (missing or older ones), per ward. */
type RebuildResult = Record<string, { readonly read: number; readonly written: number }>;

export async function rebuildFacts(
  deps: RebuildDeps,
  wards: readonly string[],
  pageSize = 100,
): Promise<RebuildResult> {
  const out: Record<string, { read: number; written: number }> = {};
  for (const ward of wards) {
    const counts = { read: 0, written: 0 };
    out[ward] = counts;
    let cursor: string | undefined;
    do {
      const page = await deps.dossiers.listByWard(ward, { limit: pageSize, ...(cursor ? { cursor } : {}) });
      for (const d of page.items) {
        counts.read++;
        if (await deps.facts.put(factOf(d))) counts.written++;
      }
      cursor = page.next;
    } while (cursor);
  }
  return out;
}
