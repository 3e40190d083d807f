import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import { STAFF, WRITE } from '../auth.ts';
import { AdjustBody, CountBody, ReceiveBody, SafetyStockBody, SkuParam, TransferBody } from '../schemas.ts';

export const inventoryRoutes = (app: App): FastifyPluginAsync => async (f) => {
  const t = { tags: ['inventory'] };
  f.post('/v1/inventory/receipts', { config: { roles: WRITE }, schema: { ...t, summary: 'Receive stock at a location', body: ReceiveBody } }, async (req) => app.inventory.receive(req.ctx, req.body as any));
  f.post('/v1/inventory/adjustments', { config: { roles: WRITE }, schema: { ...t, summary: 'Adjust on-hand by a delta, with a reason', body: AdjustBody } }, async (req) => app.inventory.adjust(req.ctx, req.body as any));
  f.post('/v1/inventory/counts', { config: { roles: WRITE }, schema: { ...t, summary: 'Cycle count: set on-hand to what was counted', body: CountBody } }, async (req) => app.inventory.count(req.ctx, req.body as any));
  f.post('/v1/inventory/transfers', { config: { roles: WRITE }, schema: { ...t, summary: 'Transfer unreserved units between locations', body: TransferBody } }, async (req) => app.inventory.transfer(req.ctx, req.body as any));
  f.post('/v1/inventory/safety-stock', { config: { roles: WRITE }, schema: { ...t, summary: 'Set safety stock at a location', body: SafetyStockBody } }, async (req) => app.inventory.setSafetyStock(req.ctx, req.body as any));
  f.get('/v1/inventory/:sku', { config: { roles: STAFF }, schema: { ...t, summary: 'Availability of a SKU across locations', params: SkuParam } }, async (req) => app.inventory.availability((req.params as any).sku));
  f.get('/v1/inventory/:sku/ledger', {
    config: { roles: STAFF },
    schema: { ...t, summary: 'Stock ledger of a SKU', params: SkuParam, querystring: Type.Object({ location: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), after: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }) },
  }, async (req) => {
    const q = req.query as any;
    return { items: await app.inventory.ledger((req.params as any).sku, { location: q.location, limit: q.limit ?? 200, afterId: q.after }) };
  });
  f.get('/v1/planning/stock-cover', {
    config: { roles: STAFF },
    schema: {
      tags: ['inventory'],
      summary: 'Days of cover per SKU at its recent demand, and the day it runs out: SKUs out of stock or at risk (all=true: every SKU with demand)',
      querystring: Type.Object(
        {
          windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'days of demand averaged (default 28)' })),
          warnDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'at risk below this many days of cover (default 14)' })),
          all: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    },
  }, async (req) => app.stockCover.report(req.query as any));
};
