import { UserError } from '../errors/index.js';
import { isObject } from './types.js';

/** A metav1.Status failure from the API server: NotFound, AlreadyExists, Invalid, Conflict, ... */
export class ApiError extends UserError {
  constructor(
    message: string,
    readonly code: number,
    readonly reason: string,
    hint?: string,
    readonly causes: readonly { field?: string; message?: string; reason?: string }[] = [],
  ) {
    super(message, hint);
  }

  /** Prefixes what was being done, keeping code and reason so callers can still branch on them. */
  withContext(context: string): ApiError {
    return new ApiError(`${context}: ${this.message}`, this.code, this.reason, this.hint, this.causes);
  }
}

export function isApiError(err: unknown, reason?: string): err is ApiError {
  return err instanceof ApiError && (reason === undefined || err.reason === reason);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

const HINTS: Record<string, string> = {
  AlreadyExists: 'use `cncfdemo apply` to update existing objects, or delete the object first',
  NotFound: 'check the name and namespace (`cncfdemo get KIND -A` lists what exists)',
  Forbidden: 'the kubeconfig user lacks permission for this; choose another --context or grant RBAC',
  Unauthorized: 'the credentials in the kubeconfig were rejected; refresh them or choose another --context',
  Conflict: 'another field manager owns these fields; re-run with --force-conflicts to take them over',
  Invalid: 'fix the object as the API server says and retry',
  BadRequest: 'fix the object as the API server says and retry',
  // Server-side apply answers 500 when the object does not fit the schema (unknown field, wrong type).
  InternalError: 'if the message names a field, fix it in the object; otherwise retry',
  TooManyRequests: 'the API server is overloaded; retry in a moment',
  ServiceUnavailable: 'the API server is not ready; retry in a moment',
};

function hintFor(reason: string, code: number): string {
  return (
    HINTS[reason] ??
    (code >= 500
      ? 'the API server failed; retry in a moment'
      : 'fix the request as the API server says and retry')
  );
}

/** Turns a failed response into an ApiError carrying the server's own message. */
export function apiErrorFrom(status: number, body: string, what: string): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isObject(parsed) && parsed.kind === 'Status') {
    const reason = typeof parsed.reason === 'string' && parsed.reason ? parsed.reason : reasonForCode(status);
    const message =
      typeof parsed.message === 'string' && parsed.message ? parsed.message : `${what}: HTTP ${status}`;
    const details = isObject(parsed.details) ? parsed.details : {};
    const causes = Array.isArray(details.causes) ? (details.causes as ApiError['causes']) : [];
    return new ApiError(message, status, reason, hintFor(reason, status), causes);
  }
  const reason = reasonForCode(status);
  const text = body.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return new ApiError(
    `${what}: HTTP ${status} ${reason}${text ? `: ${text}` : ''}`,
    status,
    reason,
    hintFor(reason, status),
  );
}

function reasonForCode(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    406: 'NotAcceptable',
    409: 'Conflict',
    410: 'Expired',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'Unknown';
}
