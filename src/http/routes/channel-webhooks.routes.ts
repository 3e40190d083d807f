import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Ctx } from '../../platform/context.ts';
import { SwitchyardError } from '../../platform/errors.ts';
import { mapShopifyOrder, ShopifyMappingError, verifyShopifyHmac } from '../../adapters/channels/shopify/shopify.adapter.ts';
import type { Channel } from '../../modules/channels/channels.service.ts';
import { sendProblem } from '../problem.ts';
import { STAFF, WRITE } from '../auth.ts';
import { checkCapture } from './orders.routes.ts';

const ROTATION_GRACE_MS = 60 * 60 * 1000;

const channelCtx = (channel: Channel): Ctx => ({
  actor: `channel:${channel.code}`,
  principal: { keyId: `webhook:${channel.id}`, name: `${channel.kind}:${channel.code}`, role: 'channel', channelId: channel.id },
});

/** Maps and captures a Shopify order payload; input problems come back as SwitchyardError INVALID. */
async function captureShopify(app: App, channel: Channel, body: unknown) {
  let input;
  try {
    input = mapShopifyOrder(body, channel.code);
    checkCapture(input);
  } catch (err) {
    if (err instanceof ShopifyMappingError) throw new SwitchyardError('INVALID', 'unmappable_payload', err.message, err.field);
    throw err;
  }
  return app.capture.capture(channelCtx(channel), input);
}

/**
 * Channel webhooks. The credential is the signature: a body not signed with this channel's secret (or its
 * previous secret within an hour of rotation) is refused before it is parsed into anything. An authentic order
 * that cannot be captured as it is (unknown SKU, unmappable field) is quarantined whole and acknowledged, so the
 * channel stops retrying and ops can fix and replay it.
 */
export const channelWebhookRoutes = (app: App): FastifyPluginAsync => async (f) => {
  f.post('/v1/channels/:code/webhooks/shopify', {
    schema: { tags: ['channel webhooks'], summary: 'Shopify webhook receiver (orders/create, orders/paid)', params: Type.Object({ code: Type.String({ maxLength: 100 }) }), security: [] },
  }, async (req, reply) => {
    const code = (req.params as any).code as string;
    const channel = await app.channels.getByCode(code).catch(() => null);
    if (!channel || channel.kind !== 'shopify') return sendProblem(reply, { status: 404, code: 'channel_not_found', detail: `no Shopify channel ${code}` });
    const secrets = await app.channels.secrets(channel.id);
    const previousValid = secrets.rotatedAt && Date.now() - new Date(secrets.rotatedAt).getTime() < ROTATION_GRACE_MS ? secrets.previous : null;
    if (!verifyShopifyHmac(req.rawBody ?? '', req.headers['x-shopify-hmac-sha256'] as string | undefined, [secrets.current, previousValid])) {
      return sendProblem(reply, { status: 401, code: 'invalid_signature', detail: 'X-Shopify-Hmac-SHA256 does not match this channel\'s secret', field: 'x-shopify-hmac-sha256' });
    }
    const topic = String(req.headers['x-shopify-topic'] ?? '');
    if (topic !== 'orders/create' && topic !== 'orders/paid') return reply.code(202).send({ accepted: true, ignored: true, topic });
    try {
      const res = await captureShopify(app, channel, req.body);
      app.metrics.captures.inc({ channel: code, result: res.created ? 'created' : 'repeat' });
      return reply.code(res.created ? 201 : 200).send({ orderId: res.order.id, status: res.order.status, created: res.created });
    } catch (err) {
      if (!(err instanceof SwitchyardError) || err.status !== 422) throw err;
      const ref = String((req.body as any)?.id ?? req.headers['x-shopify-webhook-id'] ?? 'unknown');
      const id = await app.quarantine.hold({ channelId: channel.id, source: 'shopify', externalRef: ref, payload: req.rawBody ?? '', code: err.code, field: err.field ?? null, detail: err.message });
      app.metrics.captures.inc({ channel: code, result: 'quarantined' });
      req.log.warn({ quarantineId: id, code: err.code, field: err.field }, 'channel order quarantined');
      return reply.code(202).send({ accepted: true, quarantined: true, quarantineId: id, code: err.code, field: err.field, detail: err.message });
    }
  });

  f.get('/v1/quarantine', {
    config: { roles: STAFF },
    schema: { tags: ['channel webhooks'], summary: 'Channel orders waiting in quarantine', querystring: Type.Object({ open: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }) },
  }, async (req) => {
    const q = req.query as any;
    return { items: await app.quarantine.list({ open: q.open, limit: q.limit ?? 100 }) };
  });

  f.post('/v1/quarantine/:id/replay', {
    config: { roles: WRITE },
    schema: { tags: ['channel webhooks'], summary: 'Capture a quarantined channel order again (after fixing its cause)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }) },
  }, async (req, reply) => {
    const entry = await app.quarantine.get((req.params as any).id);
    if (entry.resolvedAt) return sendProblem(reply, { status: 409, code: 'already_resolved', detail: `captured as order ${entry.orderId}` });
    const channel = await app.channels.getByCode(entry.channel);
    try {
      const res = await captureShopify(app, channel, JSON.parse(entry.payload));
      await app.quarantine.resolve(entry.id, res.order.id);
      return reply.code(res.created ? 201 : 200).send({ quarantineId: entry.id, orderId: res.order.id, status: res.order.status });
    } catch (err) {
      if (err instanceof SwitchyardError && err.status === 422) await app.quarantine.failedAgain(entry.id, err.code, err.field ?? null, err.message);
      throw err;
    }
  });
};
