/**
 * Keeps the indicator facts from events: each event refreshes its dossier's fact row from the
 * dossier's current state, guarded by version, so a redelivered or late event counts once.
 */
import { factOf } from '#shared/indicators.ts';
import { dynamo, tableName } from './adapters/clients.ts';
import { DynamoFacts } from './adapters/dynamo-facts.ts';
import { eventConsumer } from './lib/consumer.ts';
import { dossierDeps } from './lib/deps.ts';

const facts = new DynamoFacts(dynamo(), tableName());

export const handler = eventConsumer('statistics', async (event) => {
  const d = await dossierDeps().dossiers.get(event.dossierId);
  if (!d) throw new Error(`dossier ${event.dossierId} not found`);
  await facts.put(factOf(d));
});
