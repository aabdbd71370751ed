/** The query of the operators' list of dossiers the national portal may not have (GET /v1/admin/dvcqg/unsynced). */
import * as z from 'zod';

export const unsyncedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
});
