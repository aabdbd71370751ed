/**
 * The ports' contract (test/contract) against the DynamoDB adapters on DynamoDB Local, the table
 * created by the local runtime from the same definitions as the cloud's: the reference answers.
 */
import { afterAll, beforeAll } from 'vitest';
import { dynamo, tableName } from '#functions/adapters/clients.ts';
import { DynamoCatalogRepository } from '#functions/adapters/dynamo-catalog.ts';
import { DynamoDossierRepository } from '#functions/adapters/dynamo-dossiers.ts';
import { type PortsUnderTest, portsContract } from '../contract/ports.contract.ts';
import { type Stack, sharedStack } from '../helpers/stack.ts';

let s: Stack;
let ports: PortsUnderTest;

beforeAll(async () => {
  s = await sharedStack();
  // The runtime points the shared clients at its servers (MOTCUA_*_ENDPOINT), as in the handlers.
  ports = {
    dossiers: new DynamoDossierRepository(dynamo(), tableName()),
    catalog: new DynamoCatalogRepository(dynamo(), tableName()),
  };
});
afterAll(() => s?.stop());

portsContract('DynamoDB', () => ports);
