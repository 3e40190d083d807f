import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import sjson from 'secure-json-parse';
import type { App } from '../app.ts';
import { registerAuth } from './auth.ts';
import { errorHandler, sendProblem } from './problem.ts';
import { orderRoutes } from './routes/orders.routes.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { inventoryRoutes } from './routes/inventory.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { channelWebhookRoutes } from './routes/channel-webhooks.routes.ts';
import { routingRoutes } from './routes/routing.routes.ts';
import { holdRoutes } from './routes/holds.routes.ts';
import { dashboardRoutes } from './dashboard/dashboard.routes.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Two validators: request bodies are strict (no type coercion, unknown fields rejected) so a bad payload is
 * an error rather than silently "fixed"; query strings and path params are coerced (they are text on the wire).
 */
function validators() {
  const strict = addFormats(new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false }));
  const coercing = addFormats(new Ajv({ allErrors: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}

export type Server = FastifyInstance;

export async function buildServer(app: App): Promise<FastifyInstance> {
  // the TypeBox provider types routes; the instance is handed out as a plain FastifyInstance
  const server = Fastify({
    loggerInstance: app.log as unknown as FastifyBaseLogger,
    bodyLimit: app.config.bodyLimitBytes,
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 100 ? req.headers['x-request-id'] : crypto.randomUUID()),
  }).withTypeProvider<TypeBoxTypeProvider>();
  server.setValidatorCompiler(validators());
  server.setErrorHandler(errorHandler);
  server.setNotFoundHandler((req, reply) => sendProblem(reply, { status: 404, code: 'route_not_found', detail: `no route ${req.method} ${req.url.split('?')[0]}` }));

  // keep the raw body (channel webhook signatures are over the exact bytes); parse with prototype-poisoning protection
  server.removeContentTypeParser(['application/json', 'text/plain']);
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    if ((body as string).length === 0) return done(null, undefined);
    try {
      done(null, sjson.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(Object.assign(new Error('malformed JSON'), { statusCode: 400, malformedJson: true }), undefined);
    }
  });
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  server.addHook('onResponse', async (req, reply) => {
    app.metrics.httpDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  server.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    return payload;
  });

  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchyard OMS API', version: '0.1.0', description: 'Orders in from every channel, stock committed once, nothing lost.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key (sy_…)' } } },
      security: [{ apiKey: [] }],
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });
  registerAuth(server, app.apiKeys);

  server.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  server.get('/ready', { schema: { hide: true } }, async (req, reply) => {
    try {
      await app.database.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      return { status: 'ready', engine: app.database.engine };
    } catch {
      return sendProblem(reply, { status: 503, code: 'not_ready', detail: 'database unreachable' });
    }
  });
  server.get('/metrics', { config: { roles: ['admin', 'ops', 'viewer'] }, schema: { hide: true } }, async (req, reply) => {
    reply.type(app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });

  await server.register(orderRoutes(app) as any);
  await server.register(catalogRoutes(app));
  await server.register(inventoryRoutes(app));
  await server.register(adminRoutes(app));
  await server.register(channelWebhookRoutes(app));
  await server.register(routingRoutes(app));
  await server.register(holdRoutes(app));
  await server.register(dashboardRoutes(app));
  return server as unknown as FastifyInstance;
}
