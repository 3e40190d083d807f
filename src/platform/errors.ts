/**
 * Expected business outcomes that end a request: a closed set of types, each with an HTTP status.
 * Rendered as application/problem+json with a stable `code` and, where it applies, the offending `field`.
 */
export const ErrorTypes = {
  INVALID: 422,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NOT_ALLOWED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  UNAVAILABLE: 503,
} as const;
export type ErrorType = keyof typeof ErrorTypes;

export class SwitchyardError extends Error {
  readonly status: number;
  constructor(
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.status = ErrorTypes[type];
  }
}

export const invalid = (code: string, message: string, field?: string, extra?: Record<string, unknown>) =>
  new SwitchyardError('INVALID', code, message, field, extra);
export const notFound = (what: string, id: string, field?: string) => new SwitchyardError('NOT_FOUND', `${what}_not_found`, `${what.replace(/_/g, ' ')} ${id} not found`, field);
export const conflict = (code: string, message: string, field?: string) => new SwitchyardError('CONFLICT', code, message, field);
export const forbidden = (code: string, message: string) => new SwitchyardError('FORBIDDEN', code, message);
