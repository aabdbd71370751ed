/**
 * Kiosks sign in as devices (ki-ốt tự phục vụ): machine-to-machine credentials per kiosk, not a
 * user account. A ward's administrator registers a kiosk for one of the ward's receiving points and
 * is shown its client id and secret once; only a hash of the secret is kept. The kiosk exchanges
 * them for a short-lived token (OAuth 2.0 client credentials grant) carrying `role: kiosk`, its
 * ward and point. Revoking a kiosk stops the exchange at once; a token already issued dies at its
 * expiry, {@link KIOSK_TOKEN_TTL_S} at most.
 */
import * as z from 'zod';
import { slug, text } from '../api/zod.ts';
import type { Principal } from '../auth.ts';
import { AppError, ForbiddenError, NotFoundError, UnprocessableError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import type { WardDirectory } from '../ward-directory.ts';

/** Lifetime of a kiosk's token: short, since an issued token cannot be recalled. */
export const KIOSK_TOKEN_TTL_S = 600;

/** A registered kiosk as stored (the secret only as a hash). */
export interface KioskDevice {
  readonly id: string;
  /** The OAuth client id (`kiosk-…`), also the token's subject. */
  readonly clientId: string;
  readonly ward: string;
  readonly point: string;
  readonly name: string;
  readonly secretHash: string;
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
}

/** What the API shows of a kiosk: never the secret nor its hash. */
type KioskView = Omit<KioskDevice, 'secretHash'>;

export interface KioskRepository {
  /** Writes a new kiosk; never overwrites one. */
  create(k: KioskDevice): Promise<void>;
  get(clientId: string): Promise<KioskDevice | undefined>;
  listByWard(ward: string): Promise<readonly KioskDevice[]>;
  /** Marks the kiosk revoked if it is active and of `ward`; false when it is not (missing, other ward, already revoked). */
  revoke(clientId: string, ward: string, at: string, by: string): Promise<boolean>;
}

/** Makes and checks device secrets (random, hashed): crypto stays out of the domain. */
export interface DeviceSecrets {
  newClientId(): string;
  newSecret(): string;
  hash(secret: string): string;
  matches(secret: string, hash: string): boolean;
}

/** Signs kiosk tokens: the local issuer locally, a KMS key in the cloud. */
export interface DeviceTokenIssuer {
  issue(claims: { sub: string; ward: string; point: string }, ttlS: number): Promise<string>;
}

export interface KioskDeps {
  readonly kiosks: KioskRepository;
  readonly secrets: DeviceSecrets;
  readonly tokens: DeviceTokenIssuer;
  readonly clock: Clock;
  /** Where the wards and their receiving points are read (wards are data). */
  readonly wards: Pick<WardDirectory, 'get'>;
}

export const registerKioskSchema = z
  .object({
    point: slug.meta({ description: "One of the ward's receiving points", example: 'badinh' }),
    name: text(120).optional().meta({ example: 'Ki-ốt sảnh chính' }),
  })
  .strict();

/**
 * The client credentials grant (RFC 6749 §4.4) as a JSON body, like every body of this API (a
 * kiosk is our own client); the id and secret in HTTP Basic (preferred) or in the body.
 */
export const tokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().max(100).optional(),
  client_secret: z.string().max(200).optional(),
});

const view = ({ secretHash, ...k }: KioskDevice): KioskView => k;

const adminOf = (p: Principal): string => {
  if (p.role !== 'admin' || !p.ward) throw new ForbiddenError();
  return p.ward;
};

/** Registers a kiosk at a point of the admin's ward; the secret is in the answer and nowhere else. */
export async function registerKiosk(
  deps: KioskDeps,
  p: Principal,
  body: unknown,
): Promise<KioskView & { clientSecret: string }> {
  const ward = adminOf(p);
  const input = registerKioskSchema.parse(body);
  const point = (await deps.wards.get(ward))?.points.find((x) => x.id === input.point);
  if (!point) throw new UnprocessableError('POINT_NOT_FOUND', 'Điểm tiếp nhận không thuộc phường/xã này.');
  const clientId = deps.secrets.newClientId();
  const clientSecret = deps.secrets.newSecret();
  const k: KioskDevice = {
    id: clientId,
    clientId,
    ward,
    point: point.id,
    name: input.name ?? `Ki-ốt ${point.name}`,
    secretHash: deps.secrets.hash(clientSecret),
    status: 'active',
    createdAt: deps.clock.now().toISOString(),
    createdBy: p.sub,
  };
  await deps.kiosks.create(k);
  return { ...view(k), clientSecret };
}

export async function listKiosks(deps: Pick<KioskDeps, 'kiosks'>, p: Principal): Promise<readonly KioskView[]> {
  return (await deps.kiosks.listByWard(adminOf(p))).map(view);
}

/** Revokes a kiosk of the admin's ward; another ward's kiosk looks missing. */
export async function revokeKiosk(deps: KioskDeps, p: Principal, clientId: string): Promise<KioskView> {
  const ward = adminOf(p);
  const at = deps.clock.now().toISOString();
  const current = await deps.kiosks.get(clientId);
  if (!current || current.ward !== ward) throw new NotFoundError('Ki-ốt', 'KIOSK_NOT_FOUND');
  if (current.status === 'revoked') return view(current);
  if (!(await deps.kiosks.revoke(clientId, ward, at, p.sub))) {
    const again = await deps.kiosks.get(clientId);
    if (again?.status === 'revoked') return view(again);
    throw new NotFoundError('Ki-ốt', 'KIOSK_NOT_FOUND');
  }
  return view({ ...current, status: 'revoked', revokedAt: at, revokedBy: p.sub });
}

interface KioskToken {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

/**
 * The client credentials exchange. Unknown client, wrong secret and revoked kiosk get the same
 * 401 INVALID_CLIENT (nothing tells which).
 */
export async function exchangeKioskCredentials(
  deps: KioskDeps,
  clientId: string | undefined,
  secret: string | undefined,
): Promise<KioskToken> {
  const invalid = new AppError(401, 'INVALID_CLIENT', 'Thông tin xác thực của ki-ốt không hợp lệ hoặc đã bị thu hồi.');
  if (!clientId || !secret) throw invalid;
  const k = await deps.kiosks.get(clientId);
  if (!k || !deps.secrets.matches(secret, k.secretHash) || k.status !== 'active') throw invalid;
  const access_token = await deps.tokens.issue({ sub: k.clientId, ward: k.ward, point: k.point }, KIOSK_TOKEN_TTL_S);
  return { access_token, token_type: 'Bearer', expires_in: KIOSK_TOKEN_TTL_S };
}
