/**
 * Writes the OpenAPI document (without its `servers`, which the api-docs function adds) as JSON:
 *   tsx tools/openapi.ts --out FILE
 * The CDK bundling of the api-docs function runs it into the function's asset folder
 * (infra/constructs/motcua-function.ts), so that the function serves a file instead of bundling the
 * generator, the route docs and zod's OpenAPI extension.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openApiBody } from '#functions/lib/openapi.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) throw new Error('usage: tsx tools/openapi.ts --out FILE');
writeFileSync(values.out, JSON.stringify(openApiBody()));
