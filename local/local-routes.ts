/**
 * Routes of the local runtime only (the manifest's `local` function): test tokens for each role,
 * the notifications the notifier sent, and the clock the replay tool drives.
 */
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo, tableName } from '#functions/adapters/clients.ts';
import { queryAll } from '#functions/adapters/dynamo-util.ts';
import { keys } from '#functions/adapters/keys.ts';
import { wardDirectory } from '#functions/lib/deps.ts';
import { httpApi, json } from '#functions/lib/http.ts';
import { ID_NUMBER, ROLES } from '#shared/auth.ts';
import { NotFoundError, UnprocessableError } from '#shared/errors.ts';
import type { LocalIssuer } from './jwt.ts';
import { sandboxRoutes } from './sandbox-routes.ts';

const tokenSchema = z
  .object({
    role: z.enum(ROLES),
    sub: z.string().regex(/^[A-Za-z0-9._@-]{1,80}$/),
    ward: z.string().max(40).optional(),
    /** A helper's residential group (tổ dân phố) in `ward`. */
    residentialGroup: z.string().max(80).optional(),
    /** A citizen's identity number, as VNeID would put it in the token. */
    idNumber: z.string().regex(ID_NUMBER, 'số định danh 9 hoặc 12 chữ số').optional(),
    /** The official's name and title, printed on the history and form 06. */
    name: z.string().min(1).max(120).optional(),
    title: z.string().min(1).max(120).optional(),
  })
  .strict();

interface LocalContext {
  readonly issuer: LocalIssuer;
  /** Runs one schedule now, as its timer would. */
  readonly runSchedule: (name: string) => Promise<void>;
}

const clockSchema = z.object({ offsetMs: z.number().int().min(-1e12).max(1e12) }).strict();

export function localRoutes({ issuer, runSchedule }: LocalContext) {
  return httpApi('local', {
    ...sandboxRoutes(),
    'POST /local/clock': async ({ body }) => {
      // Shifts the clock every handler in this process reads (the replay tool plays a quarter).
      const { offsetMs } = clockSchema.parse(body);
      process.env.MOTCUA_CLOCK_OFFSET_MS = String(offsetMs);
      return json(200, { offsetMs, now: new Date(Date.now() + offsetMs).toISOString() });
    },
    'POST /local/schedules/{name}': async ({ params }) => {
      const name = params.name;
      try {
        await runSchedule(name);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('no schedule')) {
          throw new NotFoundError('Lịch chạy', 'SCHEDULE_NOT_FOUND', e.message);
        }
        throw e;
      }
      return json(200, { ran: name });
    },
    'POST /local/token': async ({ body }) => {
      const t = tokenSchema.parse(body);
      const staff = t.role !== 'citizen' && t.role !== 'province';
      const ward = staff && t.ward ? await wardDirectory().get(t.ward) : undefined;
      if (staff && !ward) {
        throw new UnprocessableError(
          'WARD_REQUIRED',
          'Cán bộ, kiosk và tổ công nghệ số cần một phường/xã hợp lệ (ward).',
        );
      }
      if (t.role === 'helper' && !ward?.residentialGroups?.some((g) => g.id === t.residentialGroup)) {
        throw new UnprocessableError(
          'RESIDENTIAL_GROUP_REQUIRED',
          'Thành viên tổ công nghệ số cần một tổ dân phố của phường/xã (residentialGroup).',
        );
      }
      const access_token = await issuer.issue({
        role: t.role,
        sub: t.sub,
        ...(staff && t.ward ? { ward: t.ward } : {}),
        ...(t.role === 'helper' && t.residentialGroup ? { residentialGroup: t.residentialGroup } : {}),
        ...(t.role === 'citizen' && t.idNumber ? { idNumber: t.idNumber } : {}),
        ...(t.name ? { name: t.name } : {}),
        ...(t.title ? { title: t.title } : {}),
      });
      return json(200, { access_token, token_type: 'Bearer', expires_in: 8 * 3600 });
    },
    'GET /local/notifications': async ({ query }) => {
      // A dossier's inbox is one Query on its partition; the whole list (local only) is a Scan.
      const limit = Math.min(1000, Number(query.limit ?? 200) || 200);
      const items = query.dossierId
        ? await queryAll(dynamo(), {
            TableName: tableName(),
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :n)',
            ExpressionAttributeValues: { ':pk': keys.dossierPk(query.dossierId), ':n': keys.notificationPrefix },
          })
        : await scanAll({
            TableName: tableName(),
            FilterExpression: 'entity = :e',
            ExpressionAttributeValues: { ':e': 'notification' },
          });
      const list = items
        .map(({ PK, SK, entity, expiresAt, ...rest }) => rest)
        .sort((x, y) => String(y.at).localeCompare(String(x.at)))
        .slice(0, limit);
      return json(200, { items: list });
    },
  });
}

async function scanAll(input: ScanCommandInput): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    out.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}
