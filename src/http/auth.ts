import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx, Role } from '../platform/context.ts';
import type { ApiKeyService } from '../modules/auth/api-key.service.ts';
import { sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** roles allowed on this route; omitted = public (health, docs, signature-verified channel webhooks) */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    ctx: Ctx;
    rawBody?: string;
  }
}

export const ALL: readonly Role[] = ['admin', 'ops', 'viewer', 'channel'];
export const STAFF: readonly Role[] = ['admin', 'ops', 'viewer'];
export const WRITE: readonly Role[] = ['admin', 'ops'];
export const ADMIN: readonly Role[] = ['admin'];

/** Every route with `config.roles` needs an API key (Authorization: Bearer … or X-Api-Key) whose role is listed. */
export function registerAuth(app: FastifyInstance, keys: ApiKeyService) {
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    const roles = req.routeOptions.config?.roles;
    if (!roles) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (req.headers['x-api-key'] as string | undefined);
    if (!token) return sendProblem(reply, { status: 401, code: 'unauthenticated', detail: 'send an API key: Authorization: Bearer <key>' });
    const principal = await keys.authenticate(token);
    if (!principal) return sendProblem(reply, { status: 401, code: 'invalid_api_key', detail: 'the API key is unknown or revoked' });
    if (!roles.includes(principal.role)) {
      return sendProblem(reply, { status: 403, code: 'forbidden', detail: `role ${principal.role} may not ${req.method} ${req.routeOptions.url}` });
    }
    req.ctx = { actor: `key:${principal.name}`, principal, requestId: req.id };
  });
}
