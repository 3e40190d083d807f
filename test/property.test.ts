import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/platform/context.ts';
import { ENGINES, startTestApp, type TestApp } from './support/engines.ts';

/**
 * Random interleavings of captures, cancellations, receipts, adjustments, counts and safety-stock changes,
 * run in concurrent groups: after every group, nothing is oversold anywhere (reserved ≤ on hand − safety
 * stock), every balance equals its ledger, every reservation belongs to a live order line, and every line's
 * quantities add up.
 */
const SKUS = ['SKU-00001', 'SKU-00002', 'SKU-00003', 'KIT-STARTER'];
const STOCKED = ['SKU-00001', 'SKU-00002', 'SKU-00003'];
const LOCS = ['WH-NJ', 'WH-CA', 'WH-TX'];
const CHANNELS = ['web', 'amazon-us', 'wholesale'];

type Cmd =
  | { kind: 'capture'; channel: string; lines: Array<[string, number]> }
  | { kind: 'cancel'; pick: number; partial: boolean }
  | { kind: 'receive'; sku: string; loc: string; qty: number }
  | { kind: 'adjust'; sku: string; loc: string; delta: number }
  | { kind: 'count'; sku: string; loc: string; counted: number }
  | { kind: 'safety'; sku: string; loc: string; qty: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('capture' as const), channel: fc.constantFrom(...CHANNELS), lines: fc.array(fc.tuple(fc.constantFrom(...SKUS), fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(), partial: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('receive' as const), sku: fc.constantFrom(...STOCKED), loc: fc.constantFrom(...LOCS), qty: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('adjust' as const), sku: fc.constantFrom(...STOCKED), loc: fc.constantFrom(...LOCS), delta: fc.integer({ min: -6, max: 6 }).filter((d) => d !== 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('count' as const), sku: fc.constantFrom(...STOCKED), loc: fc.constantFrom(...LOCS), counted: fc.integer({ min: 0, max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('safety' as const), sku: fc.constantFrom(...STOCKED), loc: fc.constantFrom(...LOCS), qty: fc.integer({ min: 0, max: 4 }) }) },
);

for (const engine of ENGINES) {
  describe(`stock invariants under random interleavings [${engine}]`, () => {
    let t: TestApp;
    let n = 0;
    const orderIds: string[] = [];
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 3, locations: 3, unitsPerSkuLocation: 6, varied: false } });
      await t.app.channels.setProtection('wholesale', 'SKU-00002', 4);
    });
    afterAll(async () => t?.close());

    async function run(c: Cmd) {
      const ctx = SYSTEM;
      try {
        switch (c.kind) {
          case 'capture': {
            const r = await t.app.capture.capture(ctx, {
              channel: c.channel, externalId: `p-${++n}`, currency: 'USD',
              shippingAddress: { line1: '1 A St', city: 'Austin', postcode: '73301', country: 'US' },
              lines: c.lines.map(([sku, quantity]) => ({ sku, quantity, unitPriceMinor: 100 })),
            });
            orderIds.push(r.order.id);
            return;
          }
          case 'cancel': {
            if (orderIds.length === 0) return;
            const id = orderIds[c.pick % orderIds.length]!;
            const o = await t.app.orders.get(ctx, id);
            if (o.status === 'cancelled') return;
            const line = o.lines[0]!;
            const open = line.quantities.ordered - line.quantities.cancelled - line.quantities.shipped;
            await t.app.orders.cancel(ctx, id, 'property test', c.partial && open > 1 ? [{ lineId: line.id, qty: 1 }] : undefined);
            return;
          }
          case 'receive':
            await t.app.inventory.receive(ctx, { sku: c.sku, location: c.loc, qty: c.qty });
            return;
          case 'adjust':
            await t.app.inventory.adjust(ctx, { sku: c.sku, location: c.loc, delta: c.delta, reason: 'property test' });
            return;
          case 'count':
            await t.app.inventory.count(ctx, { sku: c.sku, location: c.loc, counted: c.counted });
            return;
          case 'safety':
            await t.app.inventory.setSafetyStock(ctx, { sku: c.sku, location: c.loc, qty: c.qty });
            return;
        }
      } catch (err) {
        // expected business refusals (e.g. adjusting below zero) are fine; anything else fails the property
        if ((err as { status?: number }).status && (err as { status: number }).status < 500) return;
        throw err;
      }
    }

    it('never oversells; balances equal the ledger; reservations belong to live lines', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(cmd, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), async (groups) => {
          for (const group of groups) {
            await Promise.all(group.map(run));
            if (process.env.PROP_DEBUG) {
              const v = [...(await t.app.inventory.verify()).problems, ...(await t.app.orders.verify()).problems];
              if (v.length) console.log('BROKEN after', JSON.stringify(group), v);
            }
            const over = await sql<any>`select count(*)::int as n from stock where reserved > greatest(on_hand - safety_stock, 0) or on_hand < 0 or reserved < 0`.execute(t.app.database.db);
            expect(over.rows[0].n).toBe(0);
          }
          expect((await t.app.inventory.verify()).problems).toEqual([]);
          expect((await t.app.orders.verify()).problems).toEqual([]);
        }),
        { numRuns: engine === 'postgres' ? 15 : 40, seed: Number(process.env.FC_SEED ?? 20261123) },
      );
    });
  });
}
