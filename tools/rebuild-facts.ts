/**
 * Rebuilds the indicator facts from the stored dossiers (shared/use-cases/rebuild-facts.ts):
 *   npm run rebuild-facts -- [--ward W ...] [--table T] [--dynamodb-endpoint URL]
 * Every ward of the directory unless `--ward` names some. In the cloud pass `--table <TableName
 * output>` and have AWS credentials and AWS_REGION set; locally `--dynamodb-endpoint` (printed by
 * `npm start`), the table is the local one. Safe to run at any time: current fact rows are left
 * alone. Prints, per ward, the dossiers read and the facts written.
 */
import { parseArgs } from 'node:util';
import { ENV, LOCAL_NAMES } from '#wiring/definitions.ts';

const { values } = parseArgs({
  options: {
    ward: { type: 'string', multiple: true },
    table: { type: 'string' },
    'dynamodb-endpoint': { type: 'string' },
  },
});
const local = values['dynamodb-endpoint'] !== undefined;
if (!values.table && !local) {
  console.error('usage: npm run rebuild-facts -- [--ward W ...] (--table <TableName> | --dynamodb-endpoint URL)');
  process.exit(2);
}
process.env[ENV.table] = values.table ?? LOCAL_NAMES.table;
if (local) {
  process.env[ENV.dynamoEndpoint] = values['dynamodb-endpoint'];
  process.env.AWS_REGION ??= 'ap-southeast-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}
const { dossierRepository, factWriter, wardDirectory } = await import('#functions/lib/deps.ts');
const { rebuildFacts } = await import('#shared/use-cases/rebuild-facts.ts');
const wards = values.ward?.length ? values.ward : (await wardDirectory().list()).map((w) => w.id);
const result = await rebuildFacts({ dossiers: dossierRepository(), facts: factWriter() }, wards);
for (const [ward, r] of Object.entries(result))
  console.log(`${ward}: ${r.read} dossiers read, ${r.written} facts written`);
