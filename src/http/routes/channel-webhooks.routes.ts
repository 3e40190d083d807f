import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Ctx } from '../../platform/context.ts';
import { SwitchyardError } from '../../platform/errors.ts';
import { ChannelMappingError } from '../../adapters/channels/channel-mapping.ts';
import { mapShopifyOrder, verifyShopifyHmac } from '../../adapters/channels/shopify/shopify.adapter.ts';
import { isWooPing, mapWooOrder, verifyWooSignature, WOO_CANCELLED_STATUSES, WOO_CAPTURED_STATUSES } from '../../adapters/channels/woocommerce/woocommerce.adapter.ts';
import { functionalAck997, map850, parsePurchaseOrders, purchaseOrderAck855, X12SyntaxError, type X12PurchaseOrder } from '../../adapters/channels/edi/x12-850.adapter.ts';
import { minorUnitExponent } from '../../domain/money/currency.ts';
import type { CaptureInput } from '../../modules/orders/order.types.ts';
import type { CaptureResult } from '../../workflows/capture-orders.workflow.ts';
import type { Channel } from '../../modules/channels/channels.service.ts';
import { sendProblem } from '../problem.ts';
import { STAFF, WRITE } from '../auth.ts';
import { checkCapture } from './orders.routes.ts';

const ROTATION_GRACE_MS = 60 * 60 * 1000;

const channelCtx = (channel: Channel): Ctx => ({
  actor: `channel:${channel.code}`,
  principal: { keyId: `webhook:${channel.id}`, name: `${channel.kind}:${channel.code}`, role: 'channel', channelId: channel.id },
});

/**
 * How a quarantined payload of each `source` becomes a capture input again (replay): the payload as received, and
 * the reference it was held under (an X12 file holds several purchase orders: the reference picks one).
 */
const REMAPPERS: Record<string, (payload: string, ref: string, channel: string) => CaptureInput> = {
  shopify: (payload, _ref, channel) => mapShopifyOrder(JSON.parse(payload), channel),
  woocommerce: (payload, _ref, channel) => mapWooOrder(JSON.parse(payload), channel),
  'x12-850': (payload, ref, channel) => {
    const order = parsePurchaseOrders(payload).groups.flatMap((g) => g.orders).find((o) => x12Ref(o) === ref);
    if (!order) throw new ChannelMappingError('BEG03', `purchase order ${ref} is not in the file`);
    return map850(order.transaction, channel);
  },
};

/** What an X12 purchase order is held under in quarantine: its PO number, else its transaction set control number. */
const x12Ref = (o: X12PurchaseOrder) => o.poNumber ?? `ST02 ${o.control}`;

/** Maps (with `map`) and captures a channel's order; input problems come back as SwitchyardError INVALID. */
async function captureMapped(app: App, ctx: Ctx, map: () => CaptureInput) {
  let input;
  try {
    input = map();
    checkCapture(input);
  } catch (err) {
    if (err instanceof ChannelMappingError) throw new SwitchyardError('INVALID', 'unmappable_payload', err.message, err.field);
    if (err instanceof X12SyntaxError) throw new SwitchyardError('INVALID', err.code, err.message, 'body');
    throw err;
  }
  return app.capture.capture(ctx, input);
}

/** The channel of a webhook URL, if it is of this platform. */
async function webhookChannel(app: App, code: string, kind: string): Promise<Channel | null> {
  const channel = await app.channels.getByCode(code).catch(() => null);
  return channel && channel.kind === kind ? channel : null;
}

/** The channel's current secret and, within an hour of a rotation, its previous one. */
async function webhookSecrets(app: App, channel: Channel): Promise<Array<string | null>> {
  const secrets = await app.channels.secrets(channel.id);
  const previousValid = secrets.rotatedAt && Date.now() - new Date(secrets.rotatedAt).getTime() < ROTATION_GRACE_MS ? secrets.previous : null;
  return [secrets.current, previousValid];
}

type Taken =
  | { result: 'created' | 'repeat'; order: CaptureResult['order'] }
  | { result: 'quarantined'; quarantineId: string; code: string; field: string | undefined; detail: string };

/**
 * Takes one authentic channel order in: captured (a new one settles the entry an earlier, broken delivery left in
 * quarantine), or, when it cannot be captured as it is, held whole in quarantine under `source` and `ref` with the
 * payload it came in.
 */
async function takeOrder(app: App, req: FastifyRequest, channel: Channel, ctx: Ctx, source: string, ref: string, payload: string, map: () => CaptureInput): Promise<Taken> {
  try {
    const res = await captureMapped(app, ctx, map);
    app.metrics.captures.inc({ channel: channel.code, result: res.created ? 'created' : 'repeat' });
    if (res.created && (await app.quarantine.resolveByRef(channel.id, source, ref, res.order.id))) req.log.info({ ref, orderId: res.order.id }, 'quarantined channel order resolved by a corrected delivery');
    return { result: res.created ? 'created' : 'repeat', order: res.order };
  } catch (err) {
    if (!(err instanceof SwitchyardError) || err.status !== 422) throw err;
    const quarantineId = await app.quarantine.hold({ channelId: channel.id, source, externalRef: ref, payload, code: err.code, field: err.field ?? null, detail: err.message });
    app.metrics.captures.inc({ channel: channel.code, result: 'quarantined' });
    req.log.warn({ quarantineId, code: err.code, field: err.field }, 'channel order quarantined');
    return { result: 'quarantined', quarantineId, code: err.code, field: err.field, detail: err.message };
  }
}

/** A webhook's order taken in, answered to the channel: 201 new, 200 repeat, 202 quarantined (so it stops retrying). */
async function receiveOrder(app: App, req: FastifyRequest, reply: FastifyReply, channel: Channel, source: string, ref: string, map: (body: unknown, channel: string) => CaptureInput) {
  const t = await takeOrder(app, req, channel, channelCtx(channel), source, ref, req.rawBody ?? '', () => map(req.body, channel.code));
  if (t.result === 'quarantined') return reply.code(202).send({ accepted: true, quarantined: true, quarantineId: t.quarantineId, code: t.code, field: t.field, detail: t.detail });
  return reply.code(t.result === 'created' ? 201 : 200).send({ orderId: t.order.id, status: t.order.status, created: t.result === 'created' });
}

/**
 * The channel cancelled an order it had sent (Shopify orders/cancelled; a WooCommerce order cancelled, refunded or
 * failed): the whole open order is cancelled here too, its stock released. Answers 200 when cancelled (or already
 * cancelled: redeliveries), 202 when there is nothing to do (an order never captured) or it can no longer be
 * cancelled (shipped: a return, not a cancellation) — the channel must stop retrying either way; the refusal is
 * logged for ops.
 */
async function cancelFromChannel(app: App, req: FastifyRequest, reply: FastifyReply, channel: Channel, externalId: string, reason: string) {
  const id = await app.orders.idByExternal(channel.id, externalId);
  if (!id) return reply.code(202).send({ accepted: true, ignored: true, detail: `no order ${externalId} of channel ${channel.code}` });
  const ctx = channelCtx(channel);
  const current = await app.orders.get(ctx, id);
  if (current.status === 'cancelled') return reply.code(200).send({ orderId: id, status: current.status, cancelled: false, alreadyCancelled: true });
  try {
    const o = await app.orders.cancel(ctx, id, reason);
    return reply.code(200).send({ orderId: id, status: o.status, cancelled: true });
  } catch (err) {
    if (!(err instanceof SwitchyardError) || err.status !== 409) throw err;
    req.log.warn({ orderId: id, code: err.code, status: current.status }, 'channel cancelled an order that can no longer be cancelled');
    return reply.code(202).send({ accepted: true, cancelled: false, orderId: id, status: current.status, code: err.code, detail: err.message });
  }
}

/**
 * Channel webhooks. The credential is the signature: a body not signed with this channel's secret (or its
 * previous secret within an hour of rotation) is refused before it is parsed into anything. An authentic order
 * that cannot be captured as it is (unknown SKU, unmappable field) is quarantined whole and acknowledged, so the
 * channel stops retrying and ops can fix and replay it.
 */
export const channelWebhookRoutes = (app: App): FastifyPluginAsync => async (f) => {
  f.post('/v1/channels/:code/webhooks/shopify', {
    schema: { tags: ['channel webhooks'], summary: 'Shopify webhook receiver (orders/create, orders/paid capture; orders/cancelled cancels)', params: Type.Object({ code: Type.String({ maxLength: 100 }) }), security: [] },
  }, async (req, reply) => {
    const code = (req.params as any).code as string;
    const channel = await webhookChannel(app, code, 'shopify');
    if (!channel) return sendProblem(reply, { status: 404, code: 'channel_not_found', detail: `no Shopify channel ${code}` });
    if (!verifyShopifyHmac(req.rawBody ?? '', req.headers['x-shopify-hmac-sha256'] as string | undefined, await webhookSecrets(app, channel))) {
      return sendProblem(reply, { status: 401, code: 'invalid_signature', detail: 'X-Shopify-Hmac-SHA256 does not match this channel\'s secret', field: 'x-shopify-hmac-sha256' });
    }
    const topic = String(req.headers['x-shopify-topic'] ?? '');
    if (topic === 'orders/cancelled' && (req.body as any)?.id !== undefined) {
      return cancelFromChannel(app, req, reply, channel, String((req.body as any).id), `cancelled in Shopify${(req.body as any).cancel_reason ? ` (${(req.body as any).cancel_reason})` : ''}`);
    }
    if (topic !== 'orders/create' && topic !== 'orders/paid') return reply.code(202).send({ accepted: true, ignored: true, topic });
    return receiveOrder(app, req, reply, channel, 'shopify', String((req.body as any)?.id ?? req.headers['x-shopify-webhook-id'] ?? 'unknown'), mapShopifyOrder);
  });

  f.post('/v1/channels/:code/webhooks/woocommerce', {
    schema: {
      tags: ['channel webhooks'],
      summary: 'WooCommerce webhook receiver (order.created, order.updated; the ping of a new webhook)',
      description: 'Signed with X-WC-Webhook-Signature. Orders are captured once their status is processing, on-hold or completed; an order cancelled, refunded or failed in the shop is cancelled here (stock released); other statuses are acknowledged and ignored until an order.updated brings a captured status.',
      params: Type.Object({ code: Type.String({ maxLength: 100 }) }),
      security: [],
    },
  }, async (req, reply) => {
    const code = (req.params as any).code as string;
    const channel = await webhookChannel(app, code, 'woocommerce');
    if (!channel) return sendProblem(reply, { status: 404, code: 'channel_not_found', detail: `no WooCommerce channel ${code}` });
    const raw = req.rawBody ?? '';
    const signature = req.headers['x-wc-webhook-signature'] as string | undefined;
    // the ping WooCommerce sends when a webhook is created is unsigned and changes nothing: acknowledge it
    if (!signature && isWooPing(raw)) return reply.code(200).send({ accepted: true, ping: true });
    if (!verifyWooSignature(raw, signature, await webhookSecrets(app, channel))) {
      return sendProblem(reply, { status: 401, code: 'invalid_signature', detail: 'X-WC-Webhook-Signature does not match this channel\'s secret', field: 'x-wc-webhook-signature' });
    }
    const topic = String(req.headers['x-wc-webhook-topic'] ?? '');
    if (topic !== 'order.created' && topic !== 'order.updated') return reply.code(202).send({ accepted: true, ignored: true, topic });
    const status = String((req.body as any)?.status ?? '');
    if (WOO_CANCELLED_STATUSES.has(status) && (req.body as any)?.id !== undefined) {
      return cancelFromChannel(app, req, reply, channel, String((req.body as any).id), `${status} in WooCommerce`);
    }
    if (!WOO_CAPTURED_STATUSES.has(status)) return reply.code(202).send({ accepted: true, ignored: true, topic, status });
    return receiveOrder(app, req, reply, channel, 'woocommerce', String((req.body as any)?.id ?? req.headers['x-wc-webhook-delivery-id'] ?? 'unknown'), mapWooOrder);
  });

  f.register(async (edi) => {
    // X12 arrives as text (application/edi-x12 is its registered type); only this route reads it
    edi.addContentTypeParser(['application/edi-x12', 'application/edi', 'text/plain'], { parseAs: 'string' }, (req, body, done) => {
      req.rawBody = body as string;
      done(null, body);
    });
    edi.post('/v1/channels/:code/edi/850', {
      config: { roles: ['admin', 'ops', 'channel'] },
      schema: {
        tags: ['channel webhooks'],
        summary: 'Receive B2B purchase orders as an X12 850 interchange; answers with the 997 and the 855',
        description: 'Body: one X12 interchange (Content-Type application/edi-x12 or text/plain) of PO functional groups. A broken envelope (ISA/GS/ST counts or control numbers) or another transaction set is refused whole (400, nothing captured). Each 850 is captured as an order of this EDI channel (idempotent on its BEG03 purchase order number) or, if it cannot be, quarantined for fix-and-replay. The answer carries the 997 and, for the orders captured, the 855 acknowledgment line by line (IA reserved, IB back-ordered, IR cancelled).',
        params: Type.Object({ code: Type.String({ maxLength: 100 }) }),
      },
    }, async (req, reply) => {
      const code = (req.params as any).code as string;
      const channel = await webhookChannel(app, code, 'edi');
      if (!channel) return sendProblem(reply, { status: 404, code: 'channel_not_found', detail: `no EDI channel ${code}` });
      if (req.ctx.principal.role === 'channel' && req.ctx.principal.channelId !== channel.id) {
        return sendProblem(reply, { status: 403, code: 'forbidden', detail: `this key acts for another channel, not ${code}` });
      }
      const text = typeof req.body === 'string' ? req.body : '';
      let parsed;
      try {
        parsed = parsePurchaseOrders(text);
      } catch (err) {
        if (err instanceof X12SyntaxError) return sendProblem(reply, { status: 400, code: err.code, detail: err.message, field: 'body' });
        throw err;
      }
      const orders = parsed.groups.flatMap((g) => g.orders);
      const taken = await Promise.all(orders.map((o) => takeOrder(app, req, channel, req.ctx, 'x12-850', x12Ref(o), text, () => map850(o.transaction, channel.code))));
      const now = new Date();
      // the seller's line-by-line answer for the orders captured (in file order); a quarantined one has none until it is
      // captured (after its replay, the same file sent again answers it, as a repeat)
      const acks = orders.flatMap((po, i) => {
        const t = taken[i]!;
        return t.result === 'quarantined' ? [] : [{ po, currencyExponent: minorUnitExponent(t.order.currency), lines: t.order.lines }];
      });
      return reply.code(200).send({
        interchangeControl: parsed.envelope.interchangeControl,
        acknowledgment: functionalAck997(parsed.envelope, parsed.groups, now),
        purchaseOrderAcknowledgment: acks.length > 0 ? purchaseOrderAck855(parsed.envelope, acks, now) : null,
        purchaseOrders: orders.map((o, i) => {
          const t = taken[i]!;
          return t.result === 'quarantined'
            ? { poNumber: x12Ref(o), result: t.result, quarantineId: t.quarantineId, code: t.code, field: t.field, detail: t.detail }
            : { poNumber: x12Ref(o), result: t.result, orderId: t.order.id, status: t.order.status };
        }),
      });
    });
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
      const remap = REMAPPERS[entry.source];
      if (!remap) throw new SwitchyardError('INVALID', 'unknown_source', `no mapping for ${entry.source} payloads`, 'source');
      const res = await captureMapped(app, channelCtx(channel), () => remap(entry.payload, entry.externalRef, channel.code));
      await app.quarantine.resolve(entry.id, res.order.id);
      return reply.code(res.created ? 201 : 200).send({ quarantineId: entry.id, orderId: res.order.id, status: res.order.status });
    } catch (err) {
      if (err instanceof SwitchyardError && err.status === 422) await app.quarantine.failedAgain(entry.id, err.code, err.field ?? null, err.message);
      throw err;
    }
  });
};
