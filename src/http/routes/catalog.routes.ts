import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.ts';
import { ADMIN, STAFF, WRITE } from '../auth.ts';
import { CodeParam, LocationBody, LocationPatch, Page, SkuBody, SkuParam } from '../schemas.ts';
import { isValidTimeZone } from '../../modules/locations/locations.service.ts';
import { invalid } from '../../platform/errors.ts';

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
    reply.code(201).send(await app.locations.create(req.body as any)),
  );
  f.get('/v1/locations', { config: { roles: STAFF }, schema: { tags: ['locations'], summary: 'List locations' } }, async () => ({ items: await app.locations.list() }));
  f.get('/v1/locations/:code', { config: { roles: STAFF }, schema: { tags: ['locations'], summary: 'One location', params: CodeParam } }, async (req) => app.locations.getByCode((req.params as any).code));
  f.patch('/v1/locations/:code', { config: { roles: WRITE }, schema: { tags: ['locations'], summary: 'Change a location', params: CodeParam, body: LocationPatch } }, async (req) => {
    const b = req.body as any;
    if (b.timeZone && !isValidTimeZone(b.timeZone)) throw invalid('invalid_time_zone', `unknown IANA time zone ${b.timeZone}`, 'timeZone');
    return app.locations.update((req.params as any).code, b);
  });
  void ADMIN;
};
