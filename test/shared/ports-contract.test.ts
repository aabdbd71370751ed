/** The ports' contract (test/contract) against the in-memory fakes the use-case tests build on. */
import { portsContract } from '../contract/ports.contract.ts';
import { MemoryDossiers, memoryCatalog } from './memory-ports.ts';

// One store for the whole file, as the table is for the DynamoDB run: the contract isolates its tests.
const dossiers = new MemoryDossiers();
const catalog = memoryCatalog([]);

portsContract('in memory', () => ({ dossiers, catalog }));
