import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Ctx } from '../../platform/context.ts';
import { SwitchyardError } from '../../platform/errors.ts';
import { mapShopifyOrder, ShopifyMappingError, verifyShopifyHmac } from '../../adapters/channels/shopify/shopify.adapter.ts';
import { sendProblem } from '../problem.ts';
import { checkCapture } from './orders.routes.ts';

const ROTATION_GRACE_MS = 60 * 60 * 1000;

/**
 * Channel webhooks. The credential is the signature: a body not signed with this channel's secret (or its
 * previous secret within an hour of rotation) is refused before it is parsed into anything.
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
    const ctx: Ctx = { actor: `channel:${code}`, principal: { keyId: `webhook:${channel.id}`, name: `shopify:${code}`, role: 'channel', channelId: channel.id } };
    let input;
    try {
      input = mapShopifyOrder(req.body, code);
      checkCapture(input);
    } catch (err) {
      if (err instanceof ShopifyMappingError) throw new SwitchyardError('INVALID', 'unmappable_payload', err.message, err.field);
      throw err;
    }
    const res = await app.capture.capture(ctx, input);
    app.metrics.captures.inc({ channel: code, result: res.created ? 'created' : 'repeat' });
    return reply.code(res.created ? 201 : 200).send({ orderId: res.order.id, status: res.order.status, created: res.created });
  });
};
