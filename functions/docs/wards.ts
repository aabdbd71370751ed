/** OpenAPI entries of the ward routes and the community digital teams (see functions/lib/openapi.ts). */
import * as z from 'zod';
import './zod-openapi.ts';
import { residentialGroupSchema, residentialGroupsInputSchema, wardInputSchema } from '#shared/ward-directory.ts';
import type { RouteDocs } from './route-doc.ts';

const residentialGroupsSchema = z
  .object({ ward: z.string(), version: z.number().int(), items: z.array(residentialGroupSchema) })
  .openapi('ResidentialGroups');

const wardSchema = z
  .object({
    id: z.string().openapi({ example: 'dongson' }),
    unitCode: z.string().openapi({ example: 'H56.27.09' }),
    name: z.string(),
    province: z.string(),
    centerName: z.string(),
    address: z.string(),
    points: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        address: z.string(),
        counters: z.array(z.string()),
        groups: z.array(z.object({ id: z.string(), name: z.string(), prefix: z.string() })),
      }),
    ),
    residentialGroups: z.array(residentialGroupSchema),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi('Ward');

export const wardsDocs = {
  'GET /v1/wards/{ward}/residential-groups': {
    summary: "The ward's residential groups (tổ dân phố), one community digital team each",
    response: residentialGroupsSchema,
  },
  'PUT /v1/admin/residential-groups': {
    summary:
      "Replace the admin's own ward's residential groups (another ward: 403 OTHER_WARD; a stale expectedVersion: 409)",
    body: residentialGroupsInputSchema,
    response: residentialGroupsSchema,
  },
  'PUT /v1/province/wards/{ward}': {
    summary:
      'Add (201) or change (200) a ward without a deploy: receiving points, counters, residential groups; ' +
      "catalogFrom copies another ward's catalog (ids re-prefixed with the new ward; nationalCodes narrows it). " +
      'A unit code belongs to one ward (409 UNIT_CODE_TAKEN); dossier codes carry it.',
    body: wardInputSchema,
    response: wardSchema.extend({ copiedProcedures: z.number().int() }),
  },
  'GET /v1/province/wards': {
    summary: 'Every ward of the deployment',
    response: z.object({ items: z.array(wardSchema) }),
  },
} satisfies RouteDocs<'wards'>;
