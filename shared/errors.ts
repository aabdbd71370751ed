/**
 * The one error hierarchy. Each class carries an HTTP status and a stable `code` that clients
 * may switch on; the HTTP middleware maps them, anything else becomes a generic 500.
 * Messages are for citizens and officials, so they are in Vietnamese.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = options?.details;
  }
}

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
  constructor(what = 'Tài nguyên', code = 'NOT_FOUND') {
    super(404, code, `${what} không tồn tại.`);
  }
}

/** A stale version or a move the status machine does not allow; `current` is the state now. */
export class ConflictError extends AppError {
  constructor(code: string, message: string, current?: unknown) {
    super(409, code, message, { details: current === undefined ? undefined : { current } });
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
