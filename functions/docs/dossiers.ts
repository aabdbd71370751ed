/**
 * OpenAPI entries of the dossiers and what is read from them: the lifecycle, the public lookup,
 * the forms and the indicators (see functions/lib/openapi.ts).
 */
import * as z from 'zod';
import './zod-openapi.ts';
import { submitSchema, transitionSchema, withdrawSchema } from '#shared/use-cases/dossiers.ts';
import { feedbackSchema } from '#shared/use-cases/feedback.ts';
import { listOf, type RouteDocs } from './route-doc.ts';

const dossierSchema = z
  .object({
    id: z.string(),
    code: z.string().openapi({ example: 'H56.27.01-20260609-0001' }),
    ward: z.string(),
    procedureId: z.string(),
    status: z.number().int().min(1).max(10),
    version: z.number().int(),
    channel: z.enum(['online', 'counter']),
    appointmentAt: z.string().optional(),
    dueAt: z.string().optional(),
    overdue: z.boolean(),
  })
  .passthrough()
  .openapi('Dossier');

export const dossiersDocs = {
  'POST /v1/dossiers': {
    summary:
      'Submit a dossier (online: citizen; counter: receiver; online on a citizen’s behalf: helper, own ward only, ' +
      'residentialGroup defaults to theirs; the dossier records assistedBy)',
    body: submitSchema,
    response: dossierSchema,
    status: 201,
  },
  'GET /v1/dossiers': {
    summary:
      "List dossiers: a citizen's own and, with an idNumber claim, every dossier whose applicant has it; " +
      "a helper's, those they helped with; a ward's for staff",
    query: z.object({
      status: z.number().optional(),
      dueBefore: z.string().optional(),
      overdue: z.enum(['true', 'false']).optional(),
      procedureId: z.string().optional(),
      limit: z.number().optional(),
      cursor: z.string().optional(),
    }),
    response: listOf(dossierSchema),
  },
  'GET /v1/dossiers/{dossierId}': {
    summary: 'A dossier with status, version and appointment (staff see assistedBy: who helped, for which group)',
    response: dossierSchema,
  },
  'GET /v1/dossiers/{dossierId}/history': { summary: 'Every transition (form 06)' },
  'POST /v1/dossiers/{dossierId}/transitions': {
    summary: 'Move to another status',
    body: transitionSchema,
    response: dossierSchema,
  },
  'POST /v1/dossiers/{dossierId}/withdraw': {
    summary: 'The owner asks to withdraw',
    body: withdrawSchema,
    response: dossierSchema,
  },
  'POST /v1/dossiers/{dossierId}/feedback': {
    summary: 'Satisfaction rating 1-5, optional complaint',
    body: feedbackSchema,
  },
  'GET /v1/lookup/{dossierCode}': {
    summary:
      "Public status by code and the last 4 digits of the applicant's phone (404 for a wrong phone, as for an " +
      'unknown code; 429 TOO_MANY_ATTEMPTS after 5 misses for a code within the hour)',
    query: z.object({ phone: z.string() }),
    moreErrors: [429],
  },
  'GET /v1/dossiers/{dossierId}/forms/{form}': {
    summary: 'Forms 01-06 of Circular 03/2025 as PDF ({form} is e.g. 01.pdf)',
    contentType: 'application/pdf',
  },
  'GET /v1/reports': {
    summary:
      "The ward's Decision 766 indicators for a period (JSON or CSV); by=residentialGroup adds " +
      'residentialGroups: [{ residentialGroup, name, received, assisted, online, onlineRate }] (the CSV is then those rows)',
    query: z.object({
      from: z.string().openapi({ example: '2026-07-01' }),
      to: z.string().openapi({ example: '2026-09-30' }),
      procedureId: z.string().optional(),
      format: z.enum(['json', 'csv']).optional(),
      by: z.enum(['residentialGroup']).optional(),
    }),
  },
} satisfies RouteDocs<'dossiers' | 'lookup' | 'forms' | 'reports'>;
