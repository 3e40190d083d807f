import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import { STAFF, WRITE } from '../auth.ts';

const HoldRuleBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, description: 'lower-case letters, digits, dots, dashes, underscores; the same id saves the next version' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    priority: Type.Optional(Type.Number({ description: 'lower is tried first (default 100)' })),
    active: Type.Optional(Type.Boolean()),
    conditions: Type.Unknown({ description: 'JsonLogic over the order facts: channel, serviceLevel, country, postcode, tags, orderValueMinor, currency, lineCount, units, hasHazmat' }),
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'why such an order waits (shown to ops, kept in its audit trail)' }),
  },
  { additionalProperties: false },
);

/** Hold rules: which captured orders wait for a person (see domain/holds). */
export const holdRoutes = (app: App): FastifyPluginAsync => async (f) => {
  const t = { tags: ['orders'] };
  f.get('/v1/hold-rules', { config: { roles: STAFF }, schema: { ...t, summary: 'Hold rules (latest version of each), in the order they are tried' } }, async () => ({ items: await app.holdRules.list() }));
  f.post('/v1/hold-rules', { config: { roles: WRITE }, schema: { ...t, summary: 'Create a hold rule, or the next version of one', body: HoldRuleBody } }, async (req, reply) =>
    reply.code(201).send(await app.holdRules.save(req.ctx, req.body as any)),
  );
  f.get('/v1/hold-rules/:id', {
    config: { roles: STAFF },
    schema: { ...t, summary: 'Every version of a hold rule, newest first', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }) },
  }, async (req) => ({ items: await app.holdRules.history((req.params as any).id) }));
};
