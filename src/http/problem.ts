import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SwitchyardError } from '../platform/errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  field?: string;
  instance?: string;
  [k: string]: unknown;
}

export function sendProblem(reply: FastifyReply, p: { status: number; code: string; detail: string; field?: string; instance?: string; title?: string; [k: string]: unknown }) {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({ type: `https://switchyard.dev/problems/${p.code}`, title: p.title ?? p.code.replace(/_/g, ' '), ...p });
}

/** Maps every error to application/problem+json with a stable `code` and, where known, the offending field. */
export function errorHandler(err: FastifyError & { validation?: any[]; validationContext?: string }, req: FastifyRequest, reply: FastifyReply) {
  const instance = req.url.split('?')[0];
  if (err instanceof SwitchyardError) {
    return sendProblem(reply, { status: err.status, code: err.code, detail: err.message, field: err.field, instance, ...(err.extra ?? {}) });
  }
  if (err.validation) {
    const v = err.validation[0] ?? {};
    const base = (v.instancePath ?? '').replace(/^\//, '');
    const extra = v.params?.additionalProperty ?? v.params?.missingProperty;
    const field = [err.validationContext === 'body' ? '' : err.validationContext, base, extra].filter(Boolean).join('/') || err.validationContext;
    const detail = v.params?.additionalProperty
      ? `unknown field ${field}`
      : `${field || 'request'} ${v.message ?? 'is invalid'}`;
    return sendProblem(reply, { status: 400, code: 'invalid_request', detail, field, instance });
  }
  const code = err.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, { status: 413, code: 'payload_too_large', detail: 'request body is too large', instance });
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, { status: 415, code: 'unsupported_media_type', detail: 'send application/json', field: 'content-type', instance });
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendProblem(reply, { status: 400, code: 'malformed_json', detail: 'body is empty', instance });
  if ((err as any).malformedJson || code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return sendProblem(reply, { status: 400, code: 'malformed_json', detail: 'body is not valid JSON', instance });
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return sendProblem(reply, { status: err.statusCode, code: (code ?? 'bad_request').toLowerCase(), detail: err.message, instance });
  }
  req.log.error({ err }, 'unhandled error');
  return sendProblem(reply, { status: 500, code: 'internal_error', detail: 'something went wrong; it has been logged', instance });
}
