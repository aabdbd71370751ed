/**
 * The one error hierarchy. Every error of ours is a {@link MotcuaError}: a class whose name ends
 * in `Error` (and is its `name`), with a stable `code` and an optional `cause`.
 * - {@link AppError} and its subclasses carry an HTTP status too: clients may switch on their
 *   `code`; the HTTP middleware maps them, anything else becomes a generic 500. Their messages are
 *   for citizens and officials, so they are in Vietnamese.
 * - The others are failures inside the system (a gateway, the national portal, configuration, a
 *   lost race the use case retries): never shown to a client as they are; their `code` is for logs
 *   and alarms, their messages in English and never carry a secret.
 */
import type { BookingRefusal } from './appointments.ts';
import type { PortalFailure } from './dvcqg/sync.ts';
import type { GatewaySettingName } from './payments/gateway-config.ts';

class MotcuaError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

export class AppError extends MotcuaError {
  readonly status: number;
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.details = options?.details;
  }
}

/**
 * The stable code of a text refused for an invisible, bidirectional or tag character (the schemas of
 * shared/api/zod.ts put it in their issues; the HTTP middleware answers 400 with it).
 */
export const INVISIBLE_CHARACTERS = 'INVISIBLE_CHARACTERS';

export class ValidationError extends AppError {
  constructor(message = 'Dữ liệu gửi lên không hợp lệ.', details?: unknown, code = 'VALIDATION_FAILED') {
    super(400, code, message, { details });
  }
}

export class MalformedJsonError extends AppError {
  constructor() {
    super(400, 'MALFORMED_JSON', 'Nội dung yêu cầu không phải JSON hợp lệ.');
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', 'Nội dung yêu cầu phải là application/json.');
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `Nội dung yêu cầu vượt quá ${limitBytes} byte.`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Cần đăng nhập hợp lệ để thực hiện thao tác này.') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Bạn không có quyền thực hiện thao tác này.', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Tài nguyên', code = 'NOT_FOUND', message = `${what} không tồn tại.`) {
    super(404, code, message);
  }
}

/** A stale version or a move the status machine does not allow; `current` is the state now. */
export class ConflictError extends AppError {
  constructor(code: string, message: string, current?: unknown, options?: { cause?: unknown }) {
    super(409, code, message, { details: current === undefined ? undefined : { current }, ...options });
  }
}

/** Well-formed but semantically wrong (a fee on a procedure without one, a closed period...). */
export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(422, code, message, { details });
  }
}

/** Too many attempts in a window (a guessed second factor); try again later. */
export class TooManyRequestsError extends AppError {
  constructor(code: string, message: string) {
    super(429, code, message);
  }
}

// ---------------------------------------------------------------------------------------------
// Payments (thanh toán trực tuyến)
// ---------------------------------------------------------------------------------------------

/** A gateway could not be reached or refused to open the payment (502); `gatewayName` as citizens know it. */
export class GatewayUnavailableError extends AppError {
  constructor(gatewayName: string, options?: { cause?: unknown }) {
    super(
      502,
      'GATEWAY_UNAVAILABLE',
      `Cổng thanh toán ${gatewayName} hiện không phản hồi; vui lòng thử lại sau hoặc chọn cổng khác.`,
      options,
    );
  }
}

/** The payment was no longer in the status it was read in: someone else settled it first. */
export class PaymentStateChangedError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(409, 'PAYMENT_STATE_CHANGED', 'Giao dịch thanh toán vừa được xử lý bởi một yêu cầu khác.', options);
  }
}

/** A gateway could not open the payment; the use case answers 502 ({@link GatewayUnavailableError}). */
export class GatewayOpenError extends MotcuaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GATEWAY_OPEN_FAILED', message, options);
  }
}

/** Some gateway settings are missing, empty or still the placeholder. Carries their names, never a value. */
export class GatewayConfigError extends MotcuaError {
  readonly missing: readonly GatewaySettingName[];

  constructor(missing: readonly GatewaySettingName[], options?: { cause?: unknown }) {
    super('GATEWAY_SETTINGS_MISSING', `payment gateway settings missing or not set: ${missing.join(', ')}`, options);
    this.missing = missing;
  }
}

/** The wards' merchants are not valid JSON of the expected shape. Never carries a value. */
export class MerchantSettingsError extends MotcuaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MERCHANT_SETTINGS_INVALID', message, options);
  }
}

/** A production deployment pointed at a sandbox, or an endpoint that is not a URL we may call. */
export class GatewayEndpointError extends MotcuaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GATEWAY_ENDPOINT_REFUSED', message, options);
  }
}

// ---------------------------------------------------------------------------------------------
// The counter queue and appointments (số thứ tự, lịch hẹn)
// ---------------------------------------------------------------------------------------------

/** A queue write lost a race: the ticket or the counter changed since it was read (409 QUEUE_CHANGED). */
export class QueueWriteConflictError extends ConflictError {
  readonly which: 'ticket' | 'counter';

  constructor(which: 'ticket' | 'counter', options?: { cause?: unknown }) {
    super(
      'QUEUE_CHANGED',
      which === 'ticket' ? 'Số thứ tự vừa được quầy khác gọi.' : 'Quầy vừa được thao tác ở nơi khác; hãy tải lại.',
      undefined,
      options,
    );
    this.which = which;
  }
}

/** A booking lost: the slot was full, the citizen already holds it, the code was taken, or a race. */
export class BookingRefusedError extends MotcuaError {
  readonly reason: BookingRefusal;

  constructor(reason: BookingRefusal, options?: { cause?: unknown }) {
    super('BOOKING_REFUSED', `booking refused: ${reason}`, options);
    this.reason = reason;
  }
}

/** A conditional write on an appointment lost (its version or status changed since it was read). */
export class AppointmentChangedError extends MotcuaError {
  constructor(options?: { cause?: unknown }) {
    super('APPOINTMENT_CHANGED', 'appointment changed', options);
  }
}

// ---------------------------------------------------------------------------------------------
// The National Public Service Portal link (Cổng Dịch vụ công quốc gia)
// ---------------------------------------------------------------------------------------------

/** A portal call that did not end in `error_code: "00"`; `outcome` says whether it may have been taken. */
export class PortalCallError extends MotcuaError {
  readonly outcome: PortalFailure;

  constructor(message: string, outcome: PortalFailure, options?: { cause?: unknown }) {
    super('PORTAL_CALL_FAILED', message, options);
    this.outcome = outcome;
  }
}

/** The portal link is not configured (no sync URL): dossiers stay pending until it is. */
export class PortalNotConfiguredError extends MotcuaError {
  constructor(options?: { cause?: unknown }) {
    super('PORTAL_NOT_CONFIGURED', 'the national portal link is not configured (DVCQG_SYNC_URL)', options);
  }
}

/** Another worker took over a dossier's portal sync (its lease expired). */
export class LeaseLostError extends MotcuaError {
  constructor(dossierId: string, options?: { cause?: unknown }) {
    super('PORTAL_LEASE_LOST', `lost the portal sync lease of ${dossierId}`, options);
  }
}
