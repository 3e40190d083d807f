import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import { forbidden } from '../../platform/errors.ts';
import { ADMIN, ALL, STAFF, WRITE } from '../auth.ts';
import { ApiKeyBody, ChannelBody, CodeParam, IdParam, SubscriptionBody } from '../schemas.ts';

export const adminRoutes = (app: App): FastifyPluginAsync => async (f) => {
  // channels
  f.post('/v1/channels', { config: { roles: ADMIN }, schema: { tags: ['channels'], summary: 'Create a sales channel (returns its webhook secret once)', body: ChannelBody } }, async (req, reply) =>
    reply.code(201).send(await app.channels.create(req.body as any)),
  );
  f.get('/v1/channels', { config: { roles: STAFF }, schema: { tags: ['channels'], summary: 'List channels' } }, async () => ({ items: await app.channels.list() }));
  f.get('/v1/channels/:code', { config: { roles: STAFF }, schema: { tags: ['channels'], summary: 'One channel', params: CodeParam } }, async (req) => app.channels.getByCode((req.params as any).code));
  f.patch('/v1/channels/:code', {
    config: { roles: ADMIN },
    schema: { tags: ['channels'], summary: 'Change name, buffer, active', params: CodeParam, body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), buffer: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) },
  }, async (req) => app.channels.update((req.params as any).code, req.body as any));
  f.put('/v1/channels/:code/locations', {
    config: { roles: ADMIN },
    schema: { tags: ['channels'], summary: 'Set which locations feed the channel', params: CodeParam, body: Type.Object({ locations: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 }) }, { additionalProperties: false }) },
  }, async (req) => app.channels.setLocations((req.params as any).code, (req.body as any).locations));
  f.put('/v1/channels/:code/protections/:sku', {
    config: { roles: WRITE },
    schema: { tags: ['channels'], summary: 'Protect units of a SKU for this channel', params: Type.Object({ code: Type.String(), sku: Type.String() }), body: Type.Object({ qty: Type.Integer({ minimum: 0, maximum: 10_000_000 }) }, { additionalProperties: false }) },
  }, async (req) => app.channels.setProtection((req.params as any).code, (req.params as any).sku, (req.body as any).qty));
  f.post('/v1/channels/:code/rotate-secret', { config: { roles: ADMIN }, schema: { tags: ['channels'], summary: 'Rotate the webhook secret (old one valid for 1 hour)', params: CodeParam } }, async (req) =>
    app.channels.rotateSecret((req.params as any).code),
  );
  f.get('/v1/channels/:code/availability', {
    config: { roles: ALL },
    schema: { tags: ['channels'], summary: 'Available-to-sell for the channel', params: CodeParam, querystring: Type.Object({ sku: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }) },
  }, async (req) => {
    const ch = await app.channels.getByCode((req.params as any).code);
    if (req.ctx.principal.role === 'channel' && req.ctx.principal.channelId !== ch.id) throw forbidden('channel_mismatch', 'this credential may only read its own channel');
    const sku = (req.query as any).sku;
    return { channel: ch.code, sku, availableToSell: await app.inventory.availableToSell(ch, sku), buffer: ch.buffer };
  });

  // webhook subscriptions and deliveries
  f.post('/v1/webhook-subscriptions', { config: { roles: ADMIN }, schema: { tags: ['webhooks'], summary: 'Subscribe a URL to events (returns its signing secret once)', body: SubscriptionBody } }, async (req, reply) =>
    reply.code(201).send(await app.webhooks.subscribe(req.body as any)),
  );
  f.get('/v1/webhook-subscriptions', { config: { roles: WRITE }, schema: { tags: ['webhooks'], summary: 'List subscriptions' } }, async () => ({ items: await app.webhooks.list() }));
  f.delete('/v1/webhook-subscriptions/:id', { config: { roles: ADMIN }, schema: { tags: ['webhooks'], summary: 'Deactivate a subscription', params: IdParam } }, async (req) =>
    app.webhooks.deactivate((req.params as any).id),
  );
  f.get('/v1/webhook-deliveries', {
    config: { roles: WRITE },
    schema: { tags: ['webhooks'], summary: 'Deliveries (e.g. ?status=dead)', querystring: Type.Object({ status: Type.Optional(Type.Union(['pending', 'delivered', 'dead'].map((s) => Type.Literal(s)))), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), after: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }) },
  }, async (req) => {
    const q = req.query as any;
    return { items: await app.webhooks.deliveries({ status: q.status, limit: q.limit ?? 100, afterId: q.after }) };
  });
  f.post('/v1/webhook-deliveries/:id/redeliver', { config: { roles: WRITE }, schema: { tags: ['webhooks'], summary: 'Queue a delivery again', params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }) } }, async (req) => {
    const d = await app.webhooks.redeliver((req.params as any).id);
    app.dispatcher.poke();
    return d;
  });

  // API keys
  f.post('/v1/api-keys', { config: { roles: ADMIN }, schema: { tags: ['auth'], summary: 'Create an API key (shown once)', body: ApiKeyBody } }, async (req, reply) =>
    reply.code(201).send(await app.apiKeys.create(req.body as any)),
  );
  f.get('/v1/api-keys', { config: { roles: ADMIN }, schema: { tags: ['auth'], summary: 'List API keys (no secrets)' } }, async () => ({ items: await app.apiKeys.list() }));
  f.delete('/v1/api-keys/:id', { config: { roles: ADMIN }, schema: { tags: ['auth'], summary: 'Revoke an API key', params: IdParam } }, async (req, reply) => {
    await app.apiKeys.revoke((req.params as any).id);
    return reply.code(204).send();
  });
};
