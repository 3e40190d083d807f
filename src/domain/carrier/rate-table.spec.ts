import { describe, expect, it } from 'vitest';
import { deliveryDayOffset, validateRateTable } from './rate-table.ts';
import { testKgTable, testLbTable } from './rate-table.fixtures.ts';

describe('deliveryDayOffset', () => {
  const monFri = testLbTable(); // pickup and delivery Mon–Fri
  const monSat = testKgTable(); // pickup Mon–Fri, delivery Mon–Sat

  it('counts transit on delivery days only', () => {
    expect(deliveryDayOffset(monFri, 1, 1)).toBe(1); // Mon → Tue
    expect(deliveryDayOffset(monFri, 5, 1)).toBe(3); // Fri → Mon
    expect(deliveryDayOffset(monFri, 4, 3)).toBe(5); // Thu → Tue
    expect(deliveryDayOffset(monSat, 5, 1)).toBe(1); // Fri → Sat
  });

  it('waits for the next pickup day', () => {
    expect(deliveryDayOffset(monFri, 6, 1)).toBe(3); // Sat: pickup Mon, deliver Tue
    expect(deliveryDayOffset(monFri, 7, 0)).toBe(1);
  });
});

describe('validateRateTable', () => {
  it('accepts the test tables', () => {
    expect(validateRateTable(testLbTable())).toEqual([]);
    expect(validateRateTable(testKgTable())).toEqual([]);
  });

  it('reports float prices, misaligned breaks and zones without transit days', () => {
    const t = testLbTable();
    const bad = validateRateTable({
      ...t,
      weights: { ...t.weights, breaks: [1, 2, 2.5, 5, 10], prices: { ...t.weights.prices, X: [1.5, 2, 3, 4, 5] } },
    });
    expect(bad.join('\n')).toMatch(/break 2.5 is not a multiple/);
    expect(bad.join('\n')).toMatch(/zone X price 1.5/);
    expect(bad.join('\n')).toMatch(/zone X has prices but no transit days/);
  });
});
