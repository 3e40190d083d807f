import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { route } from '../../domain/routing/index.ts';
import { arbInstance } from '../../domain/routing/routing.test-kit.ts';
import { compactDecision, readStoredDecision, storedDecision } from './routing.engine.ts';

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('stored routing decisions', () => {
  it('read back exactly as the API form, whatever the decision (excluded, unquotable, hazmat-ineligible, split)', () => {
    let packed = 0;
    let api = 0;
    fc.assert(
      fc.property(arbInstance({ maxLines: 8, maxLocations: 10, maxQty: 4, sharedSkus: true, allowLineSplit: 'random' }), (inp) => {
        const d = route(inp);
        const stored = json(storedDecision(d));
        expect(stored.candidates).toBeUndefined();
        expect(stored.promise).toBeUndefined();
        // the SKU of a shipment line is the order line's: the reader is given the order's lines
        const skuOfLine = new Map(inp.order.lines.map((l) => [l.lineId, l.skuId]));
        expect(readStoredDecision(stored, skuOfLine)).toEqual(json(compactDecision(d)));
        packed += JSON.stringify(stored).length;
        api += JSON.stringify(compactDecision(d)).length;
      }),
      { numRuns: 300, seed: 42 },
    );
    // and the point of packing: much smaller
    expect(packed / api).toBeLessThan(0.7);
  });

  it('read format 1 (candidates packed with service codes inline, full lines and the promise stored) as it was', () => {
    const quote = { serviceCode: 'DEMO:GROUND', carrierCostMinor: 4864, landedCostMinor: 0, transitDays: 3, lateDays: 0, shipBy: '2026-11-23', deliveryDate: '2026-11-26', deliveryLatest: '2026-11-27' };
    const head = {
      outcome: 'routed', profile: { id: 'switchyard-default', version: 1 }, method: 'heuristic', explanation: 'WH-GA ships all 1 lines', totalCostMinor: 5014,
      costComponents: { carrier: 4864, handling: 150 }, units: { requested: 2, allocated: 2 },
      shipments: [{ locationId: 'loc-ga', code: 'WH-GA', lines: [{ lineId: 'l1', skuId: 's1', qty: 2 }], quote, costMinor: 5014 }],
      promise: { shipBy: '2026-11-23', deliveryDate: '2026-11-26', window: { earliest: '2026-11-26', latest: '2026-11-27' } },
      unallocated: [],
    };
    const v1 = { ...head, cands: [['WH-GA', 1, 'c', 1, 2, 5014, [4864, 150], 'DEMO:GROUND', 3, 0], ['WH-TX', 0, 's', 1, 2, 6955, [6815, 140], 'DEMO:GROUND', 4, 0, 1941], ['3PL-UK', 'x', 'no_stock', '3PL-UK has none of the ordered SKUs']] };
    expect(readStoredDecision(v1)).toEqual({
      ...head,
      candidates: [
        { code: 'WH-GA', chosen: true, score: { basis: 'chosen_plan', lines: 1, units: 2, costMinor: 5014, components: { carrier: 4864, handling: 150 }, serviceCode: 'DEMO:GROUND', transitDays: 3, lateDays: 0 } },
        { code: 'WH-TX', chosen: false, score: { basis: 'single_location', lines: 1, units: 2, costMinor: 6955, components: { carrier: 6815, handling: 140 }, serviceCode: 'DEMO:GROUND', transitDays: 4, lateDays: 0, vsChosenMinor: 1941 } },
        { code: '3PL-UK', excluded: { rule: 'no_stock', detail: '3PL-UK has none of the ordered SKUs' } },
      ],
    });
  });

  it('leave decisions stored before packing as they are', () => {
    const old = { outcome: 'routed', candidates: [{ code: 'WH-1', chosen: true }] };
    expect(readStoredDecision(old)).toBe(old);
    expect(readStoredDecision(null)).toBe(null);
  });
});
