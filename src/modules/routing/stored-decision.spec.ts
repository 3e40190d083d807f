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
        expect(readStoredDecision(stored)).toEqual(json(compactDecision(d)));
        packed += JSON.stringify(stored).length;
        api += JSON.stringify(compactDecision(d)).length;
      }),
      { numRuns: 300, seed: 42 },
    );
    // and the point of packing: much smaller
    expect(packed / api).toBeLessThan(0.8);
  });

  it('leave decisions stored before packing as they are', () => {
    const old = { outcome: 'routed', candidates: [{ code: 'WH-1', chosen: true }] };
    expect(readStoredDecision(old)).toBe(old);
    expect(readStoredDecision(null)).toBe(null);
  });
});
