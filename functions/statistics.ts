/**
 * Keeps the indicator facts from events: each batch refreshes the fact row of each dossier it
 * names, once, from the dossier's current state, guarded by version, so a redelivered or late
 * event counts once.
 */
import { factOf } from '#shared/indicators.ts';
import { dossierEventConsumer } from './lib/consumer.ts';
import { dossierRepository, facts } from './lib/deps.ts';

export const handler = dossierEventConsumer(
  'statistics',
  (ids) => dossierRepository().getMany(ids),
  async (d, events) => {
    if (!d) throw new Error(`dossier ${events[0]?.dossierId} not found`);
    await facts().put(factOf(d));
  },
);
