import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.ts';
import { ADMIN, STAFF, WRITE } from '../auth.ts';
import { ClosureBody, ClosureParams, CodeParam, LocationBody, LocationPatch, Page, SkuBody, SkuParam } from '../schemas.ts';
import { isValidTimeZone } from '../../modules/locations/locations.service.ts';
import { invalid } from '../../platform/errors.ts';
import { isCalendarDate } from './orders.routes.ts';

export const catalogRoutes = (app: App): FastifyPluginAsync => async (f) => {
  f.post('/v1/skus', { config: { roles: WRITE }, schema: { tags: ['catalog'], summary: 'Create a SKU (a kit when it lists components)', body: SkuBody } }, async (req, reply) =>
    reply.code(201).send(await app.catalog.createSku(req.body as any)),
  );
  f.get('/v1/skus', { config: { roles: STAFF }, schema: { tags: ['catalog'], summary: 'List SKUs', querystring: Page } }, async (req) => {
    const q = req.query as any;
    return { items: await app.catalog.listSkus({ limit: q.limit ?? 100, after: q.after }) };
  });
  f.get('/v1/skus/:sku', { config: { roles: STAFF }, schema: { tags: ['catalog'], summary: 'One SKU', params: SkuParam } }, async (req) => app.catalog.getSku((req.params as any).sku));

  f.post('/v1/locations', { config: { roles: WRITE }, schema: { tags: ['locations'], summary: 'Create a fulfilment location', body: LocationBody } }, async (req, reply) =>
    reply.code(201).send(await app.locations.create(req.body as any, req.ctx.actor)),
  );
  f.get('/v1/locations', { config: { roles: STAFF }, schema: { tags: ['locations'], summary: 'List locations' } }, async () => ({ items: await app.locations.list() }));
  f.get('/v1/locations/:code', { config: { roles: STAFF }, schema: { tags: ['locations'], summary: 'One location', params: CodeParam } }, async (req) => app.locations.getByCode((req.params as any).code));
  f.patch('/v1/locations/:code', { config: { roles: WRITE }, schema: { tags: ['locations'], summary: 'Change a location', params: CodeParam, body: LocationPatch } }, async (req) => {
    const b = req.body as any;
    if (b.timeZone && !isValidTimeZone(b.timeZone)) throw invalid('invalid_time_zone', `unknown IANA time zone ${b.timeZone}`, 'timeZone');
    return app.locations.update((req.params as any).code, b, req.ctx.actor);
  });
  f.post('/v1/locations/:code/closures', {
    config: { roles: WRITE },
    schema: { tags: ['locations'], summary: 'Close a location on a local date (promises and routing skip it)', params: CodeParam, body: ClosureBody },
  }, async (req, reply) => reply.code(201).send(await app.locations.addClosure((req.params as any).code, validDate((req.body as any).date), req.ctx.actor)));
  f.delete('/v1/locations/:code/closures/:date', {
    config: { roles: WRITE },
    schema: { tags: ['locations'], summary: 'Open a closed date again', params: ClosureParams },
  }, async (req) => app.locations.removeClosure((req.params as any).code, validDate((req.params as any).date), req.ctx.actor));
  f.get('/v1/locations/:code/history', {
    config: { roles: STAFF },
    schema: { tags: ['locations'], summary: "A location's audit trail, newest first: who changed what and when (out of routing, capacity, closed dates, evacuations)", params: CodeParam },
  }, async (req) => ({ items: await app.locations.history((req.params as any).code) }));
  f.get('/v1/network/status', {
    config: { roles: STAFF },
    schema: { tags: ['locations'], summary: 'Each location today: working or closed (why), cut-off, when an order placed now is released, closures ahead, daily capacity taken and left' },
  }, async () => app.network.status());
  void ADMIN;
};

/** A calendar date that exists (the pattern alone lets 2026-02-30 through). */
function validDate(date: string): string {
  if (!isCalendarDate(date)) throw invalid('invalid_date', `${date} is not a calendar date`, 'date');
  return date;
}
