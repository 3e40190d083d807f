import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App } from '../../app.ts';
import { SwitchyardError } from '../../platform/errors.ts';
import type { CaptureInput } from '../../modules/orders/order.types.ts';
import { isKnownCurrency } from '../../domain/money/currency.ts';
import { ALL, STAFF, WRITE } from '../auth.ts';
import { CancelBody, CaptureBody, HoldBody, IdParam, OrderListQuery } from '../schemas.ts';
import { Type } from 'typebox';

/** A real YYYY-MM-DD day (Date.parse accepts 2026-02-30 and rolls it over). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

/** Semantic checks the schema cannot express; the first failure names its field. */
export function checkCapture(input: CaptureInput) {
  if (!isKnownCurrency(input.currency)) throw new SwitchyardError('INVALID', 'unknown_currency', `currency ${input.currency} is not an ISO 4217 code`, 'currency');
  if (input.requestedDeliveryDate && !isCalendarDate(input.requestedDeliveryDate)) {
    throw new SwitchyardError('INVALID', 'invalid_date', 'requestedDeliveryDate is not a calendar date', 'requestedDeliveryDate');
  }
  input.lines.forEach((l, i) => {
    if ((l.discountMinor ?? 0) > l.unitPriceMinor * l.quantity) throw new SwitchyardError('INVALID', 'discount_exceeds_price', 'discount is larger than the line total', `lines/${i}/discountMinor`);
  });
}

export const orderRoutes = (app: App): FastifyPluginAsync => async (f0) => {
  const f = f0.withTypeProvider<TypeBoxTypeProvider>();

  f.post('/v1/orders', {
    config: { roles: ['admin', 'ops', 'channel'] },
    schema: {
      tags: ['orders'],
      summary: 'Capture an order (idempotent on channel + externalId and on Idempotency-Key)',
      body: CaptureBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Honoured for IDEMPOTENCY_KEY_TTL_HOURS (24 h) from its first use: the same request returns the same order, another request 409' })) }),
    },
  }, async (req, reply) => {
    const started = process.hrtime.bigint();
    const input = req.body as CaptureInput;
    try {
      checkCapture(input);
      const res = await app.capture.capture(req.ctx, input, (req.headers['idempotency-key'] as string | undefined) ?? null);
      app.metrics.captures.inc({ channel: input.channel, result: res.created ? 'created' : 'repeat' });
      if (res.created && res.order.status === 'on_hold') app.metrics.held.inc({ channel: input.channel });
      if (!res.created) reply.header('switchyard-replayed', 'true');
      reply.header('location', `/v1/orders/${res.order.id}`);
      return reply.code(res.created ? 201 : 200).send(res.order);
    } catch (err) {
      app.metrics.captures.inc({ channel: input.channel, result: 'rejected' });
      throw err;
    } finally {
      app.metrics.captureDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  });

  f.get('/v1/orders', { config: { roles: ALL }, schema: { tags: ['orders'], summary: 'List orders (filters, cursor pagination)', querystring: OrderListQuery } }, async (req) => {
    const q = req.query as any;
    return app.orders.list(req.ctx, { ...q, limit: q.limit ?? 50 });
  });

  f.get('/v1/orders/:id', { config: { roles: ALL }, schema: { tags: ['orders'], summary: 'One order with lines, reservations and timeline', params: IdParam } }, async (req) =>
    app.orders.get(req.ctx, (req.params as any).id),
  );

  f.get('/v1/orders/:id/routing', { config: { roles: STAFF }, schema: { tags: ['orders'], summary: 'Routing decisions and their explanation', params: IdParam } }, async (req) =>
    app.orders.routing(req.ctx, (req.params as any).id),
  );

  f.post('/v1/orders/:id/hold', { config: { roles: WRITE }, schema: { tags: ['orders'], summary: 'Place a hold', params: IdParam, body: HoldBody } }, async (req) =>
    app.orders.hold(req.ctx, (req.params as any).id, (req.body as any).reason),
  );

  f.post('/v1/orders/:id/release-hold', { config: { roles: WRITE }, schema: { tags: ['orders'], summary: 'Release a hold', params: IdParam, body: HoldBody } }, async (req) =>
    app.orders.releaseHold(req.ctx, (req.params as any).id, (req.body as any).reason),
  );

  f.post('/v1/orders/:id/cancel', { config: { roles: ['admin', 'ops', 'channel'] }, schema: { tags: ['orders'], summary: 'Cancel the order or some line quantities', params: IdParam, body: CancelBody } }, async (req) => {
    const b = req.body as any;
    return app.orders.cancel(req.ctx, (req.params as any).id, b.reason, b.lines);
  });
};
