import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import { ALL, STAFF, WRITE } from '../auth.ts';
import { CodeParam, IdParam, Reason } from '../schemas.ts';
import { invalid } from '../../platform/errors.ts';
import { routingReport } from '../../modules/routing/routing-stats.ts';
import { SEARCH_LEVELS } from '../../domain/routing/index.ts';

const Code = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$' });
const Destination = Type.Object(
  { country: Type.String({ pattern: '^[A-Z]{2}$' }), postcode: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: false },
);
const PreviewBody = Type.Object(
  {
    channel: Code,
    destination: Destination,
    serviceLevel: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
    requestedDeliveryDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    lines: Type.Array(
      Type.Object({ sku: Code, quantity: Type.Integer({ minimum: 1, maximum: 100000 }), unitPriceMinor: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
// the profile's inner settings are checked by the domain's validateProfile, which names the offending path
const ProfileBody = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    active: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(Type.Union([Type.Null(), Type.Record(Type.String(), Type.Unknown())])),
    constraints: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    weights: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
    penalties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    preferences: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    whenNothingFits: Type.Optional(Type.Union(['backorder', 'next_profile', 'hold'].map((v) => Type.Literal(v)))),
    search: Type.Optional(Type.Union(SEARCH_LEVELS.map((v) => Type.Literal(v)), {
      description: "how hard the optimiser searches large orders: 'fast', 'balanced' (default) or 'optimal' (branch and bound within a node budget)",
    })),
  },
  { additionalProperties: false },
);

/** Which orders a routing tool works on: how many, created since when, of which channel. */
const OrderSelection = (max: number, limitText: string) =>
  Type.Optional(Type.Object(
    { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: max, description: limitText })), since: Type.Optional(Type.String({ format: 'date-time' })), channel: Type.Optional(Code) },
    { additionalProperties: false },
  ));

const RestoreBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'the earlier version to save again as the next one' }) },
  { additionalProperties: false },
);

export const routingRoutes = (app: App): FastifyPluginAsync => async (f) => {
  const t = { tags: ['routing'] };
  f.get('/v1/routing/profiles', { config: { roles: STAFF }, schema: { ...t, summary: 'Routing profiles in force (latest version of each)' } }, async () => ({ items: await app.routingProfiles.list() }));
  f.post('/v1/routing/profiles', { config: { roles: WRITE }, schema: { ...t, summary: 'Create a routing profile, or the next version of one', body: ProfileBody } }, async (req, reply) =>
    reply.code(201).send(await app.routingProfiles.save(req.ctx, req.body as any)),
  );
  f.get('/v1/routing/profiles/:id', {
    config: { roles: STAFF },
    schema: { ...t, summary: 'Every version of a profile, newest first: who saved it, when, and which settings it changed', params: IdParam },
  }, async (req) => ({
    items: await app.routingProfiles.history((req.params as any).id),
  }));
  f.post('/v1/routing/profiles/:id/restore', {
    config: { roles: WRITE },
    schema: { ...t, summary: 'Roll a profile back: save an earlier version again as the next version', params: IdParam, body: RestoreBody },
  }, async (req, reply) => {
    const r = await app.routingProfiles.restore(req.ctx, (req.params as any).id, (req.body as { version: number }).version);
    return reply.code(201).send({ ...r.profile, restoredFrom: r.restoredFrom });
  });
  f.get('/v1/routing/stats', {
    config: { roles: STAFF },
    schema: {
      ...t,
      summary: 'How orders created in a window were routed: outcomes, profiles, splits, locations, late shipments, exclusions by rule, cost',
      querystring: Type.Object(
        {
          from: Type.Optional(Type.String({ format: 'date-time', description: 'default: 24 hours before `to`' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
          channel: Type.Optional(Code),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => {
    const q = req.query as { from?: string; to?: string; channel?: string };
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * 3_600_000);
    if (!(from < to)) throw invalid('invalid_window', '`from` must be before `to`', 'from');
    const channelId = q.channel !== undefined ? (await app.channels.require(q.channel, 'channel')).id : null;
    const raw = await app.orders.routingStats({ from: from.toISOString(), to: to.toISOString(), channelId });
    return { window: { from: from.toISOString(), to: to.toISOString() }, channel: q.channel ?? null, ...routingReport(raw) };
  });
  f.post('/v1/routing/simulate', {
    config: { roles: WRITE },
    schema: {
      ...t,
      summary: 'What a profile would change: recent orders routed with the profiles in force and with this draft in force too (nothing saved or reserved)',
      body: Type.Object(
        {
          profile: ProfileBody,
          orders: OrderSelection(5000, 'most recent orders to replay (default 200)'),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => {
    const b = req.body as any;
    return app.simulation.simulate(b.profile, b.orders ?? {});
  });
  const ReoptimiseOpts = {
    dryRun: Type.Optional(Type.Boolean({ description: 'route and report, change nothing' })),
    minSavingMinor: Type.Optional(Type.Integer({ minimum: 1, description: 'a plan with as many shipments must save at least this much (default 1)' })),
  };
  f.post('/v1/orders/:id/reoptimise', {
    config: { roles: WRITE },
    schema: {
      tags: ['orders'],
      summary: 'Route an allocated, unreleased order again and take the new plan if it has fewer shipments or costs less',
      params: IdParam,
      body: Type.Optional(Type.Object(ReoptimiseOpts, { additionalProperties: false })),
    },
  }, async (req) => app.reoptimiser.order(req.ctx, (req.params as any).id, (req.body as any) ?? {}));
  f.post('/v1/orders/:id/assign', {
    config: { roles: WRITE },
    schema: {
      tags: ['orders'],
      summary: 'Ops override: ship an allocated, unreleased order from one location (it must take every unit reserved now)',
      params: IdParam,
      body: Type.Object(
        {
          location: Code,
          reason: Reason,
          dryRun: ReoptimiseOpts.dryRun,
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => {
    const b = req.body as { location: string; reason: string; dryRun?: boolean };
    return app.reoptimiser.assign(req.ctx, (req.params as any).id, b.location, b.reason, { dryRun: b.dryRun });
  });
  f.post('/v1/routing/reoptimise', {
    config: { roles: WRITE },
    schema: {
      ...t,
      summary: 'Re-optimisation run: split orders not yet released are routed again, oldest first; better plans are taken',
      body: Type.Object(
        {
          ...ReoptimiseOpts,
          orders: OrderSelection(2000, 'orders to look at (default 100)'),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => {
    const b = req.body as any;
    return app.reoptimiser.run(req.ctx, { ...(b.orders ?? {}), dryRun: b.dryRun, minSavingMinor: b.minSavingMinor });
  });
  f.post('/v1/routing/preview', { config: { roles: ALL }, schema: { ...t, summary: 'Route a hypothetical order (touches no stock)', body: PreviewBody } }, async (req) =>
    app.preview.preview(req.ctx, req.body as any),
  );
  f.post('/v1/promise', { config: { roles: ALL }, schema: { tags: ['promise'], summary: 'Storefront quote: delivery date and shipping price per service level', body: PreviewBody } }, async (req) =>
    app.preview.promise(req.ctx, req.body as any),
  );
  f.post('/v1/orders/:id/reroute', {
    config: { roles: WRITE },
    schema: {
      tags: ['orders'],
      summary: 'A location rejected or short-shipped: route those units again elsewhere',
      params: IdParam,
      body: Type.Object(
        {
          location: Code,
          reason: Reason,
          lines: Type.Optional(Type.Array(Type.Object({ lineId: Type.String({ format: 'uuid' }), qty: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 500 })),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => {
    const b = req.body as any;
    return app.rerouter.reroute(req.ctx, (req.params as any).id, b.location, b.reason, b.lines);
  });
  f.post('/v1/locations/:code/evacuate', {
    config: { roles: WRITE },
    schema: {
      tags: ['locations'],
      summary: 'A location cannot ship what it holds: re-route every order reserved there (oldest first), as if it had rejected them',
      params: CodeParam,
      body: Type.Object(
        {
          reason: Reason,
          dryRun: Type.Optional(Type.Boolean({ description: 'list the orders and units, move nothing' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, description: 'orders per run (default 500)' })),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => {
    return app.rerouter.evacuate(req.ctx, (req.params as any).code, req.body as { reason: string; dryRun?: boolean; limit?: number });
  });
};
