import { describe, expect, it } from 'vitest';
import { parcelFor } from './parcel.ts';

describe('parcelFor', () => {
  it('ships a single unit in its own dimensions, longest side first', () => {
    expect(parcelFor([{ unitWeightGrams: 800, lengthMm: 50, widthMm: 300, heightMm: 200, qty: 1 }])).toEqual({
      weightGrams: 800,
      lengthMm: 300,
      widthMm: 200,
      heightMm: 50,
    });
  });

  it('sums weights and sizes a near-cubic box from the volume and packing efficiency', () => {
    const p = parcelFor([{ unitWeightGrams: 250, lengthMm: 200, widthMm: 100, heightMm: 50, qty: 4 }]);
    expect(p).toEqual({ weightGrams: 1000, lengthMm: 200, widthMm: 160, heightMm: 160 });
    expect(p.lengthMm * p.widthMm * p.heightMm).toBeGreaterThanOrEqual((4 * 200 * 100 * 50) / 0.8);
  });

  it('always fits the largest item and adds tare', () => {
    const p = parcelFor(
      [
        { unitWeightGrams: 100, lengthMm: 600, widthMm: 20, heightMm: 20, qty: 1 }, // a long thin item
        { unitWeightGrams: 50, lengthMm: 50, widthMm: 50, heightMm: 50, qty: 10 },
        { unitWeightGrams: 999, lengthMm: 1, widthMm: 1, heightMm: 1, qty: 0 },
      ],
      { tareGrams: 120, packingEfficiency: 0.7 },
    );
    expect(p.weightGrams).toBe(100 + 500 + 120);
    expect(p.lengthMm).toBeGreaterThanOrEqual(600);
    expect(p.lengthMm * p.widthMm * p.heightMm).toBeGreaterThanOrEqual((600 * 20 * 20 + 10 * 50 ** 3) / 0.7);
    expect(p.lengthMm >= p.widthMm && p.widthMm >= p.heightMm).toBe(true);
  });

  it('rejects an empty pack and bad quantities', () => {
    expect(() => parcelFor([])).toThrow(RangeError);
    expect(() => parcelFor([{ unitWeightGrams: 1, lengthMm: 1, widthMm: 1, heightMm: 1, qty: 1.5 }])).toThrow(RangeError);
  });
});
