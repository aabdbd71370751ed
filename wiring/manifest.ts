/**
 * The wiring manifest: every function once, with its entry, size and triggers.
 *
 * The CDK app (infra/) turns each entry into one Lambda with exactly these triggers; the local
 * runtime (local/) wires the same handlers from the same entries. Nobody repeats a route, a
 * queue or an event pattern anywhere else. A test proves the synthesized template agrees.
 */
import type { Role } from '#shared/auth.ts';
import { EVENT_SOURCE, type EventType } from '#shared/events.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** An HTTP route; `roles: 'public'` needs no token. */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway v2 path, `{name}` for a path parameter. */
  readonly path: string;
  readonly roles: 'public' | readonly Role[];
  /**
   * Per-IP rate limit in front of the route (PUBLIC_RATE_LIMIT): the public routes that guess at
   * dossier codes. In the cloud a WAF rate-based rule on the CloudFront distribution, locally the
   * gateway's limiter.
   */
  readonly throttled?: true;
}

/** The per-IP rate limit of the `throttled` routes: requests of one IP in one window, all of them together. */
export const PUBLIC_RATE_LIMIT = { requests: 100, windowS: 300 } as const;

/** An EventBridge pattern (a subset of its JSON grammar; see local/event-pattern.ts). */
export type EventPattern = Readonly<Record<string, unknown>>;

/**
 * A rule on this system's events: the detail-types are event names (shared/events.ts), so a typo
 * in one fails tsc.
 */
export type DomainEventPattern = EventPattern & { readonly 'detail-type'?: readonly EventType[] };

/** The SQS queue a consumer reads, and what feeds it. */
export interface QueueSpec {
  /** Records per invocation: up to 10, or up to 10,000 with a batching window. */
  readonly batchSize: number;
  /**
   * How long the event source gathers records before invoking (Lambda's MaximumBatchingWindow):
   * a busy queue's records then come in a few large batches, so the consumer reads and writes
   * once per batch rather than once per record. None: invoke as soon as a poll returns records.
   */
  readonly maxBatchingWindowS?: number;
  /** Receives before a message goes to the queue's DLQ. */
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutS: number;
  /** EventBridge rules on the bus that target this queue. */
  readonly rules?: readonly { readonly name: string; readonly pattern: DomainEventPattern }[];
  /** S3 object-created notifications of the scans bucket under this prefix. */
  readonly s3ObjectCreatedPrefix?: string;
}

export interface ScheduleSpec {
  readonly name: string;
  readonly everyMinutes: number;
}

/** What a function may touch; infra grants exactly this, nothing more. */
export interface AccessSpec {
  /**
   * `read`: GetItem, BatchGetItem, Query; `readwrite`: also PutItem, UpdateItem; `put`: PutItem
   * alone (a writer of whole items that reads nothing: the statistics).
   */
  readonly table?: 'read' | 'readwrite' | 'put';
  /**
   * Table actions beyond `table`'s, each only where the code calls it (a test checks grants against
   * the code): ConditionCheckItem (in transactions), DeleteItem, Scan, BatchWriteItem.
   */
  readonly tableActions?: readonly ('ConditionCheckItem' | 'DeleteItem' | 'Scan' | 'BatchWriteItem')[];
  readonly bucket?: 'read' | 'readwrite';
  readonly gatewaySecret?: boolean;
  readonly signingKey?: 'sign' | 'verify';
  /** The KMS key that signs kiosk device tokens (kms:Sign, kms:GetPublicKey). */
  readonly deviceTokenKey?: boolean;
  /** Sends citizens' notifications through the channels the deployment configures (SMS, e-mail, Zalo). */
  readonly notificationChannels?: boolean;
  /** Publishes to the event bus (events:PutEvents): the outbox relay alone (DESIGN.md §3). */
  readonly eventBus?: boolean;
}

export interface FunctionSpec {
  /** File name under functions/ (without .ts) and the function's key everywhere. */
  readonly name: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutS: number;
  readonly access: AccessSpec;
  readonly routes?: readonly RouteSpec[];
  readonly queue?: QueueSpec;
  /**
   * Fed by the table's DynamoDB stream: the outbox relay, and the statistics (which need only each
   * dossier's new image). Lambda's reads of the stream are free; two readers per shard at most
   * (AWS's limit before throttling), which a test holds the manifest to.
   */
  readonly tableStream?: {
    readonly batchSize: number;
    /**
     * Lambda event filtering: patterns (EventBridge grammar) over each stream record; a record that
     * matches none is passed over without an invocation (and is not billed as one).
     */
    readonly filters?: readonly EventPattern[];
  };
  readonly schedules?: readonly ScheduleSpec[];
  /** Bundles files beside the code (fonts, static assets). */
  readonly assets?: 'fonts' | 'swagger-ui';
  /** Exists only in the local runtime (token issuer, sandbox gateway). */
  readonly localOnly?: boolean;
}

const STAFF: readonly Role[] = ['receiver', 'specialist', 'leader', 'admin'];

const manifest = [
  {
    name: 'catalog',
    description: 'Procedure catalog (danh mục TTHC): public reads, admin upserts, QR codes',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite' },
    routes: [
      { method: 'GET', path: '/v1/procedures', roles: 'public' },
      { method: 'GET', path: '/v1/procedures/{procedureId}', roles: 'public' },
      { method: 'GET', path: '/v1/procedures/{procedureId}/qr.svg', roles: 'public' },
      { method: 'PUT', path: '/v1/admin/procedures/{procedureId}', roles: ['admin'] },
    ],
  },
  {
    name: 'calendar',
    description: 'Working calendar (lịch làm việc): hours, holidays, compensatory days; deadline arithmetic',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite' },
    routes: [
      { method: 'GET', path: '/v1/admin/calendar/{year}', roles: ['admin'] },
      { method: 'PUT', path: '/v1/admin/calendar/{year}', roles: ['admin'] },
      { method: 'GET', path: '/v1/calendar/{ward}/add', roles: 'public' },
    ],
  },
  {
    name: 'wards',
    description: 'Wards as data (phường/xã): the province adds wards; residential groups (tổ dân phố)',
    memoryMb: 256,
    timeoutS: 30,
    access: { table: 'readwrite' },
    routes: [
      { method: 'GET', path: '/v1/wards/{ward}/residential-groups', roles: 'public' },
      { method: 'PUT', path: '/v1/admin/residential-groups', roles: ['admin'] },
      { method: 'PUT', path: '/v1/province/wards/{ward}', roles: ['province'] },
      { method: 'GET', path: '/v1/province/wards', roles: ['province'] },
    ],
  },
  {
    name: 'dossiers',
    description: 'Dossiers (hồ sơ): submission, lifecycle transitions, history, withdrawal, feedback',
    memoryMb: 512,
    timeoutS: 15,
    access: { table: 'readwrite' },
    routes: [
      { method: 'POST', path: '/v1/dossiers', roles: ['citizen', 'receiver', 'helper'] },
      { method: 'GET', path: '/v1/dossiers', roles: ['citizen', ...STAFF, 'helper'] },
      { method: 'GET', path: '/v1/dossiers/{dossierId}', roles: ['citizen', ...STAFF, 'helper'] },
      { method: 'GET', path: '/v1/dossiers/{dossierId}/history', roles: ['citizen', ...STAFF] },
      { method: 'POST', path: '/v1/dossiers/{dossierId}/transitions', roles: STAFF },
      { method: 'POST', path: '/v1/dossiers/{dossierId}/withdraw', roles: ['citizen'] },
      { method: 'POST', path: '/v1/dossiers/{dossierId}/feedback', roles: ['citizen'] },
      { method: 'POST', path: '/v1/dossiers/{dossierId}/extension', roles: ['specialist', 'leader'] },
    ],
  },
  {
    name: 'forms',
    description:
      'Forms of Circular 03/2025 (biểu mẫu) as PDF: receipt, supplement request, refusal, apology; electronic fee receipts',
    memoryMb: 1024,
    timeoutS: 15,
    access: { table: 'read' },
    assets: 'fonts',
    routes: [
      { method: 'GET', path: '/v1/dossiers/{dossierId}/forms/{form}', roles: ['citizen', ...STAFF] },
      { method: 'GET', path: '/v1/registers', roles: ['receiver', 'leader', 'admin'] },
      // Electronic receipts (biên lai điện tử): functions/receipts-routes.ts
      { method: 'GET', path: '/v1/dossiers/{dossierId}/receipts', roles: ['citizen', ...STAFF] },
      { method: 'GET', path: '/v1/receipts/{receiptId}', roles: ['citizen', ...STAFF] },
      { method: 'GET', path: '/v1/verify/receipts/{receiptId}', roles: 'public' },
    ],
  },
  {
    name: 'lookup',
    description: 'Public status lookup by dossier code (tra cứu hồ sơ), no personal data',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite' }, // counts lookup attempts per client, code and hour
    routes: [{ method: 'GET', path: '/v1/lookup/{dossierCode}', roles: 'public', throttled: true }],
  },
  {
    name: 'outbox-relay',
    description: 'Transactional outbox relay: table stream -> event bus',
    memoryMb: 256,
    timeoutS: 30,
    // The stream mapping grants the stream reads; the relay writes nothing to the table.
    access: { eventBus: true },
    tableStream: {
      batchSize: 50,
      // Only the items that carry events (written once each): not the dossier's rewrites,
      // notifications, facts or TTL deletions. DynamoDB mappings filter on the `dynamodb` key only.
      filters: [{ dynamodb: { NewImage: { outbox: { BOOL: [true] } } } }],
    },
  },
  {
    name: 'notifier',
    description: 'Citizen notifications (thông báo) on status changes, deduplicated by event id',
    memoryMb: 256,
    timeoutS: 30,
    access: { table: 'readwrite', notificationChannels: true },
    queue: {
      batchSize: 25,
      // A second at most before the message leaves; the dossiers and stored events are read once per batch.
      maxBatchingWindowS: 1,
      maxReceiveCount: 5,
      visibilityTimeoutS: 180,
      rules: [
        {
          name: 'status-changes-to-notifier',
          pattern: {
            source: [EVENT_SOURCE],
            'detail-type': [
              'DossierSubmitted',
              'DossierStatusChanged',
              'DossierOverdue',
              'DossierDueSoon',
              'PaymentConfirmed',
              'AppointmentReminderDue',
              'DossierExtended',
              'ReceiptIssued',
            ],
          },
        },
      ],
    },
  },
  {
    name: 'documents',
    description:
      'Scans (số hóa): presigned uploads and downloads; the signed result document and its public verification',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite', tableActions: ['ConditionCheckItem'], bucket: 'readwrite', signingKey: 'sign' },
    routes: [
      {
        method: 'POST',
        path: '/v1/dossiers/{dossierId}/documents/{componentId}/upload-url',
        roles: ['citizen', 'receiver'],
      },
      {
        method: 'GET',
        path: '/v1/dossiers/{dossierId}/documents/{componentId}/download-url',
        roles: ['citizen', ...STAFF],
      },
      { method: 'POST', path: '/v1/dossiers/{dossierId}/result/upload-url', roles: ['specialist', 'leader'] },
      { method: 'POST', path: '/v1/dossiers/{dossierId}/result/sign', roles: ['leader'] },
      { method: 'GET', path: '/v1/verify/{dossierCode}', roles: 'public', throttled: true },
    ],
  },
  {
    name: 'scan-checker',
    description:
      'Checks each landed scan (PDF, JPEG, PNG, TIFF signatures), records size and checksum, quarantines the rest',
    memoryMb: 512,
    timeoutS: 30,
    access: { table: 'readwrite', tableActions: ['ConditionCheckItem'], bucket: 'readwrite' },
    queue: { batchSize: 5, maxReceiveCount: 5, visibilityTimeoutS: 180, s3ObjectCreatedPrefix: 'uploads/' },
  },
  {
    name: 'payments',
    description: 'Starts an online fee payment (thanh toán trực tuyến) with VNPay or MoMo',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite', tableActions: ['DeleteItem'], gatewaySecret: true },
    routes: [{ method: 'POST', path: '/v1/dossiers/{dossierId}/payments', roles: ['citizen', 'receiver'] }],
  },
  {
    name: 'payment-callbacks',
    description: 'Signed gateway callbacks (VNPay IPN, MoMo IPN): verify, then confirm exactly once',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite', tableActions: ['DeleteItem'], gatewaySecret: true },
    routes: [
      { method: 'GET', path: '/v1/payments/vnpay/ipn', roles: 'public' },
      { method: 'POST', path: '/v1/payments/momo/ipn', roles: 'public' },
    ],
  },
  {
    name: 'payment-reconcile',
    description:
      'Reconciliation of payments pending too long (callbacks get lost): asks the gateway, confirms or expires',
    memoryMb: 256,
    timeoutS: 60,
    access: { table: 'readwrite', tableActions: ['DeleteItem'], gatewaySecret: true },
    schedules: [{ name: 'payment-reconcile', everyMinutes: 15 }],
  },
  {
    name: 'queue',
    description: 'Kiosk queue numbers (cấp số thứ tự) at the receiving points, counters and the status board',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite' },
    routes: [
      { method: 'POST', path: '/v1/queue/tickets', roles: ['kiosk'] },
      { method: 'POST', path: '/v1/queue/counters/{counterId}/{action}', roles: ['receiver'] },
      { method: 'GET', path: '/v1/queue/board', roles: 'public' },
    ],
  },
  {
    name: 'appointments',
    description: 'Appointments (đặt lịch hẹn) at the receiving points: slots, bookings, cancellations, capacity',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite' },
    routes: [
      { method: 'GET', path: '/v1/appointments/slots', roles: 'public' },
      { method: 'POST', path: '/v1/appointments', roles: ['citizen'] },
      { method: 'GET', path: '/v1/appointments', roles: ['citizen'] },
      { method: 'DELETE', path: '/v1/appointments/{appointmentId}', roles: ['citizen'] },
      { method: 'GET', path: '/v1/admin/appointments/capacity', roles: ['admin'] },
      { method: 'PUT', path: '/v1/admin/appointments/capacity', roles: ['admin'] },
    ],
  },
  {
    name: 'appointment-reminders',
    description: 'The reminder the day before a booked appointment (nhắc lịch hẹn), once per booking',
    memoryMb: 256,
    timeoutS: 60,
    access: { table: 'readwrite' },
    schedules: [{ name: 'appointment-reminders', everyMinutes: 60 }],
  },
  {
    name: 'kiosks',
    description: 'Kiosk devices (ki-ốt): registration, revocation and the client credentials token exchange',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite', deviceTokenKey: true },
    routes: [
      { method: 'POST', path: '/v1/admin/kiosks', roles: ['admin'] },
      { method: 'GET', path: '/v1/admin/kiosks', roles: ['admin'] },
      { method: 'DELETE', path: '/v1/admin/kiosks/{kioskId}', roles: ['admin'] },
      { method: 'POST', path: '/v1/kiosk/token', roles: 'public', throttled: true },
      { method: 'GET', path: '/.well-known/openid-configuration', roles: 'public' },
      { method: 'GET', path: '/.well-known/jwks.json', roles: 'public' },
    ],
  },
  {
    name: 'statistics',
    description:
      'Keeps the Decision 766 indicator facts from each dossier change on the table stream, once per version',
    memoryMb: 256,
    timeoutS: 30,
    access: { table: 'put' },
    // Every indicator is a function of the dossier's stored state (shared/indicators.ts factOf), and
    // every event the indicators count (submitted, status changed, paid, digitized, rated, signed)
    // comes with a write of the dossier item in the same transaction: its new image on the stream is
    // all the statistics need. No bus delivery, no queue, no dossier read: ~US$0.012 less per 1,000
    // dossiers than a queue fed by a rule (bench/README.md).
    tableStream: {
      batchSize: 100,
      filters: [{ dynamodb: { NewImage: { entity: { S: ['dossier'] } } } }],
    },
  },
  {
    name: 'reports',
    description: 'Indicators for a period and procedure (JSON, CSV) and the public transparency figures',
    memoryMb: 512,
    timeoutS: 15,
    access: { table: 'read' },
    routes: [
      { method: 'GET', path: '/v1/reports', roles: ['leader', 'admin'] },
      { method: 'GET', path: '/v1/reports/public', roles: 'public' },
    ],
  },
  {
    name: 'sla-watch',
    description: 'Deadline watch: due-soon warnings to officials, overdue detection and the apology letter (form 04)',
    memoryMb: 256,
    timeoutS: 60,
    access: { table: 'readwrite' },
    schedules: [{ name: 'sla-watch', everyMinutes: 15 }],
  },
  {
    name: 'dvcqg-sync',
    description:
      'National Public Service Portal sync (đồng bộ Cổng DVCQG): each changed dossier, in order; resends what is not acknowledged',
    memoryMb: 256,
    timeoutS: 30,
    access: { table: 'readwrite', gatewaySecret: true },
    queue: {
      batchSize: 50,
      // A dossier's changes of a few seconds make one sync (one lease, one read), not one per event.
      maxBatchingWindowS: 2,
      maxReceiveCount: 8,
      visibilityTimeoutS: 60,
      rules: [
        {
          name: 'dossier-changes-to-dvcqg-sync',
          pattern: {
            source: [EVENT_SOURCE],
            'detail-type': [
              'DossierSubmitted',
              'DossierStatusChanged',
              'PaymentConfirmed',
              'DocumentDigitized',
              'FeedbackReceived',
              'DossierOverdue',
            ],
          },
        },
      ],
    },
    schedules: [{ name: 'dvcqg-reconcile', everyMinutes: 1 }],
  },
  {
    name: 'dvcqg-admin',
    description:
      'Operators: the dossiers whose last change the national portal may not have (failed, retried, waiting)',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'read' },
    routes: [{ method: 'GET', path: '/v1/admin/dvcqg/unsynced', roles: ['admin'] }],
  },
  {
    name: 'pages',
    description:
      'Public HTML pages (trang công khai): procedure page, dossier status page, number board, transparency page',
    memoryMb: 256,
    timeoutS: 10,
    access: { table: 'readwrite' }, // the status page counts failed lookups, as the lookup route does
    routes: [
      { method: 'GET', path: '/p/{ward}/thu-tuc/{procedureId}', roles: 'public' },
      { method: 'GET', path: '/p/tra-cuu/{dossierCode}', roles: 'public', throttled: true },
      { method: 'GET', path: '/p/{ward}/bang-goi-so/{point}', roles: 'public' },
      { method: 'GET', path: '/p/{ward}/cong-khai', roles: 'public' },
      { method: 'GET', path: '/p/assets/{asset}', roles: 'public' },
    ],
  },
  {
    name: 'api-docs',
    description: 'The OpenAPI document and its reference page',
    memoryMb: 256,
    timeoutS: 10,
    access: {},
    assets: 'swagger-ui',
    routes: [
      { method: 'GET', path: '/openapi.json', roles: 'public' },
      { method: 'GET', path: '/docs', roles: 'public' },
      { method: 'GET', path: '/docs/{asset}', roles: 'public' },
    ],
  },
  {
    name: 'local',
    description: 'Local runtime only: test tokens, sent notifications, sandbox gateways',
    memoryMb: 128,
    timeoutS: 10,
    access: { table: 'readwrite' },
    localOnly: true,
    routes: [
      { method: 'POST', path: '/local/token', roles: 'public' },
      { method: 'GET', path: '/local/notifications', roles: 'public' },
      { method: 'GET', path: '/local/sandbox/{gateway}', roles: 'public' },
      { method: 'POST', path: '/local/sandbox/{gateway}/pay', roles: 'public' },
      { method: 'POST', path: '/local/sandbox/dvcqg/auth', roles: 'public' },
      { method: 'POST', path: '/local/sandbox/dvcqg/sync', roles: 'public' },
      { method: 'GET', path: '/local/sandbox/dvcqg/dossiers/{code}', roles: 'public' },
      { method: 'POST', path: '/local/sandbox/dvcqg/faults', roles: 'public' },
      { method: 'POST', path: '/local/clock', roles: 'public' },
      { method: 'POST', path: '/local/schedules/{name}', roles: 'public' },
    ],
  },
] as const satisfies readonly FunctionSpec[];

/** Every function of the manifest, in order. */
export const functions: readonly FunctionSpec[] = manifest;

type Entry = (typeof manifest)[number];
/** A function's key: its file name under functions/ (local/ for `local`). */
export type FunctionName = Entry['name'];
type RoutesOfEntry<N extends FunctionName> = N extends FunctionName
  ? Extract<Entry, { readonly name: N }> extends { readonly routes: readonly (infer R)[] }
    ? R
    : never
  : never;
type KeyOf<R> = R extends { readonly method: infer M extends string; readonly path: infer P extends string }
  ? `${M} ${P}`
  : never;
/** The route keys ("POST /v1/dossiers") of one function, as its handler must map them. */
export type RouteKeyOf<N extends FunctionName> = KeyOf<RoutesOfEntry<N>>;
/** Every route key of the manifest. */
export type RouteKey = RouteKeyOf<FunctionName>;
/** The manifest's spec of one route key (its method, path, roles). */
export type RouteOf<K extends RouteKey> = Extract<
  RoutesOfEntry<FunctionName>,
  { readonly method: MethodOf<K>; readonly path: PathOf<K> }
>;
type MethodOf<K extends string> = K extends `${infer M extends HttpMethod} ${string}` ? M : never;
export type PathOf<K extends string> = K extends `${HttpMethod} ${infer P}` ? P : never;
/** The `{name}` parameters of a path. */
export type PathParamsOf<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | PathParamsOf<Rest>
  : never;
/** Whether the manifest lets a route key be called without a token. */
export type IsPublic<K extends RouteKey> = RouteOf<K>['roles'] extends 'public' ? true : false;

/** The routes of one function, by key. */
export function routesOf(name: FunctionName): ReadonlyMap<string, RouteSpec> {
  const fn = functions.find((f) => f.name === name);
  return new Map((fn?.routes ?? []).map((r) => [`${r.method} ${r.path}`, r]));
}

export const cloudFunctions = (): readonly FunctionSpec[] => functions.filter((f) => !f.localOnly);

/**
 * The API's Lambda authorizer (functions/authorizer.ts): no trigger of its own (the HTTP API calls
 * it before a signed-in route, infra/api-stack.ts), so it is not in `functions`; the bench bundles
 * and loads it with them, since a fresh token's first request waits for its cold start.
 */
export const authorizerSpec: FunctionSpec = {
  name: 'authorizer',
  description: "API authorizer: staff (user pool) and citizens' VNeID tokens, verified directly",
  memoryMb: 256,
  timeoutS: 10,
  access: {},
};
