import { readFileSync } from 'node:fs';
import x12 from 'node-x12';
import { describe, expect, it } from 'vitest';
import { ChannelMappingError } from '../channel-mapping.ts';
import { functionalAck997, map850, parsePurchaseOrders, purchaseOrderAck855, X12SyntaxError } from './x12-850.adapter.ts';

const SAMPLE = readFileSync('fixtures/edi/850.edi', 'utf8');
const mapFirst = (text: string) => map850(parsePurchaseOrders(text).groups[0]!.orders[0]!.transaction, 'wholesale');
const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof ChannelMappingError || err instanceof X12SyntaxError ? (err as any).field ?? (err as any).code : String(err);
  }
  return 'no error';
};

describe('X12 850 adapter', () => {
  it('maps the real VICS 850: PO number, ship-to loop, PO1 lines by the vendor item number, requested date, department', () => {
    const input = mapFirst(SAMPLE);
    expect(input).toMatchObject({
      channel: 'wholesale',
      externalId: '08292233294',
      currency: 'USD',
      serviceLevel: 'standard',
      requestedDeliveryDate: '2010-12-14',
      placedAt: '2010-11-27T00:00:00.000Z',
      tags: ['edi', 'dept-038'],
      shippingAddress: { company: 'XYZ RETAIL', line1: '31875 SOLON RD', city: 'SOLON', region: 'OH', postcode: '44139', country: 'US' },
    });
    expect(input.lines).toEqual([
      { sku: 'AB3542', quantity: 120, unitPriceMinor: 925 },
      { sku: 'RD5322', quantity: 220, unitPriceMinor: 1379 },
      { sku: 'XY5266', quantity: 126, unitPriceMinor: 1099 },
      { sku: 'VX2332', quantity: 76, unitPriceMinor: 435 },
      { sku: 'RV0524', quantity: 72, unitPriceMinor: 750 },
      { sku: 'DX1875', quantity: 696, unitPriceMinor: 955 },
    ]);
    // the AMT*1 total of the file is the sum of the lines
    expect(input.lines.reduce((a, l) => a + l.quantity * l.unitPriceMinor, 0)).toBe(1304594);
  });

  it('prefers the SKU qualifier, then the vendor item number; refuses a line naming neither, a wrong CTT count, a change order', () => {
    expect(mapFirst(SAMPLE.replace('*VN*AB3542', '*VN*AB3542*SK*MY-SKU-1')).lines[0]!.sku).toBe('MY-SKU-1');
    expect(fieldOf(() => mapFirst(SAMPLE.replace('*RO*VN*AB3542', '*RO*UP*012345678905')))).toBe('PO1[1]/PO107');
    expect(fieldOf(() => mapFirst(SAMPLE.replace('CTT*6', 'CTT*5')))).toBe('CTT01');
    expect(fieldOf(() => mapFirst(SAMPLE.replace('BEG*00*', 'BEG*01*')))).toBe('BEG01');
    expect(fieldOf(() => mapFirst(SAMPLE.replace('PO1*1*120*', 'PO1*1*1.5*')))).toBe('PO1[1]/PO102');
    expect(fieldOf(() => mapFirst(SAMPLE.replace('N1*ST*', 'N1*SF*')))).toBe('N1');
  });

  it('refuses a broken envelope or another transaction set whole', () => {
    expect(fieldOf(() => parsePurchaseOrders(SAMPLE.replace('SE*33*', 'SE*32*')))).toBe('invalid_x12');
    expect(fieldOf(() => parsePurchaseOrders(SAMPLE.replace('GE*1*1421', 'GE*1*1422')))).toBe('invalid_x12');
    expect(fieldOf(() => parsePurchaseOrders('{"id":1}'))).toBe('invalid_x12');
    expect(fieldOf(() => parsePurchaseOrders(readFileSync('fixtures/edi/855.edi', 'utf8')))).toBe('unsupported_transaction_set');
    expect(fieldOf(() => parsePurchaseOrders(`${SAMPLE.trim()}\n${SAMPLE.trim()}`))).toBe('invalid_x12');
  });

  it('acknowledges with a 997 that is itself a valid interchange, sender and receiver swapped', () => {
    const p = parsePurchaseOrders(SAMPLE);
    const ack = functionalAck997(p.envelope, p.groups, new Date('2026-11-23T20:05:00Z'));
    const parsed = new x12.X12Parser(true).parse(ack) as x12.X12Interchange;
    const group = parsed.functionalGroups[0]!;
    // received from 4405197800 (ISA06) for 999999999 (ISA08): the acknowledgment goes back the other way
    expect(parsed.header.valueOf(6)?.trim()).toBe('999999999');
    expect(parsed.header.valueOf(8)?.trim()).toBe('4405197800');
    expect(group.header.valueOf(2)).toBe('999999999');
    expect(group.header.valueOf(8)).toBe('004010VICS'); // the version the partner sent
    expect(group.header.valueOf(1)).toBe('FA');
    const tx = group.transactions[0]!;
    expect(tx.header.valueOf(1)).toBe('997');
    expect(tx.segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join('*'))).toEqual(['AK1*PO*1421', 'AK2*850*000000010', 'AK5*A', 'AK9*A*1*1*1']);
    expect(ack).toMatch(/~\s*IEA\*1\*000003438~$/);
  });

  it('answers captured orders with an 855: each buyer line echoed, reserved units IA, waiting IB, cancelled IR; a valid interchange', () => {
    const p = parsePurchaseOrders(SAMPLE);
    const po = p.groups[0]!.orders[0]!;
    const lines = map850(po.transaction, 'wholesale').lines.map((l, i) => ({
      sku: l.sku, unitPriceMinor: l.unitPriceMinor,
      quantities: i === 1 ? { ordered: l.quantity, reserved: 200, backordered: 15, preordered: 0, cancelled: 5 } : { ordered: l.quantity, reserved: l.quantity, backordered: 0, preordered: 0, cancelled: 0 },
    }));
    const ack = purchaseOrderAck855(p.envelope, [{ po, currencyExponent: 2, lines }], new Date('2026-11-23T20:05:00Z'));
    const tx = (new x12.X12Parser(true).parse(ack) as x12.X12Interchange).functionalGroups[0]!.transactions[0]!;
    const segs = tx.segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join('*'));
    expect(tx.header.valueOf(1)).toBe('855');
    expect(segs.slice(0, 6)).toEqual(['BAK*00*AC*08292233294*20101127', 'PO1*1*120*EA*9.25**VN*AB3542', 'ACK*IA*120*EA', 'PO1*2*220*EA*13.79**VN*RD5322', 'ACK*IA*200*EA', 'ACK*IB*15*EA']);
    expect(segs[6]).toBe('ACK*IR*5*EA');
    expect(segs.at(-1)).toBe('CTT*6');
    const allIn = purchaseOrderAck855(p.envelope, [{ po, currencyExponent: 2, lines: lines.map((l) => ({ ...l, quantities: { ...l.quantities, reserved: l.quantities.ordered, backordered: 0, cancelled: 0 } })) }], new Date());
    expect(allIn).toContain('BAK*00*AD*08292233294');
  });
});
