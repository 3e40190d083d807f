import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChannelMappingError } from '../channel-mapping.ts';
import { isWooPing, mapWooOrder, signWoo, verifyWooSignature, wooServiceLevel } from './woocommerce.adapter.ts';

const sample = () => JSON.parse(readFileSync('fixtures/channels/woocommerce/order_v3_example.json', 'utf8'));

describe('WooCommerce adapter', () => {
  it('verifies X-WC-Webhook-Signature: base64 HMAC-SHA256 of the trimmed body, current or previous secret', () => {
    const body = JSON.stringify(sample());
    // computed independently of signWoo, as WooCommerce does: base64_encode(hash_hmac('sha256', trim($payload), $secret, true))
    const sig = createHmac('sha256', 'wc-secret').update(body).digest('base64');
    expect(signWoo(body, 'wc-secret')).toBe(sig);
    expect(verifyWooSignature(body, sig, ['wc-secret'])).toBe(true);
    expect(verifyWooSignature(`${body}\n`, sig, ['wc-secret'])).toBe(true); // trailing newline trimmed, as Woo signs
    expect(verifyWooSignature(body, sig, ['rotated', 'wc-secret'])).toBe(true);
    expect(verifyWooSignature(body, sig, ['other', null])).toBe(false);
    expect(verifyWooSignature(body.replace('29.35', '0.01'), sig, ['wc-secret'])).toBe(false);
    expect(verifyWooSignature(body, undefined, ['wc-secret'])).toBe(false);
    expect(verifyWooSignature(body, '', ['wc-secret'])).toBe(false);
    expect(verifyWooSignature(body, 'bm90LWEtc2lnbmF0dXJl', ['wc-secret'])).toBe(false);
  });

  it('recognises the ping of a new webhook (form-encoded webhook_id) and nothing else', () => {
    expect(isWooPing('webhook_id=17')).toBe(true);
    expect(isWooPing('webhook_id=17&x=1')).toBe(false);
    expect(isWooPing('{"id":727}')).toBe(false);
  });

  it('maps the real v3 order example: addresses, amounts to the cent, placed time in UTC, a line without SKU refused', () => {
    const o = sample();
    expect(() => mapWooOrder(o, 'woo')).toThrow(ChannelMappingError);
    try {
      mapWooOrder(o, 'woo');
    } catch (err) {
      expect((err as ChannelMappingError).field).toBe('line_items/0/sku');
    }
    o.line_items[0].sku = 'Woo1';
    const input = mapWooOrder(o, 'woo');
    expect(input).toMatchObject({
      channel: 'woo',
      externalId: '727',
      currency: 'USD',
      serviceLevel: 'standard',
      placedAt: '2017-03-22T19:28:02.000Z',
      shippingMinor: 1000,
      customer: { name: 'John Doe', email: 'john.doe@example.com' },
      shippingAddress: { name: 'John Doe', line1: '969 Market', city: 'San Francisco', region: 'CA', postcode: '94103', country: 'US' },
      billingAddress: { phone: '(555) 555-5555' },
    });
    expect(input.lines).toEqual([
      { sku: 'Woo1', quantity: 2, unitPriceMinor: 300, discountMinor: 0, taxMinor: 45 },
      { sku: 'Bar3', quantity: 1, unitPriceMinor: 1200, discountMinor: 0, taxMinor: 90 },
    ]);
  });

  it('keeps every line net total exact whatever the quantity and discount (unit rounded up, discount never negative)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 100 }), (subtotal, qty, pct) => {
        const total = Math.floor((subtotal * (100 - pct)) / 100);
        const o = sample();
        o.line_items = [{ id: 1, sku: 'S', quantity: qty, subtotal: (subtotal / 100).toFixed(2), total: (total / 100).toFixed(2), total_tax: '0.00' }];
        const [line] = mapWooOrder(o, 'woo').lines;
        expect(line!.unitPriceMinor * qty - line!.discountMinor!).toBe(total);
        expect(line!.discountMinor).toBeGreaterThanOrEqual(0);
        expect(line!.unitPriceMinor * qty - subtotal).toBeLessThan(qty);
      }),
    );
  });

  it('falls back to the billing address when the order has no shipping address, and refuses bad amounts by field', () => {
    const o = sample();
    o.line_items[0].sku = 'Woo1';
    o.shipping = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '' };
    expect(mapWooOrder(o, 'woo').shippingAddress).toMatchObject({ line1: '969 Market', phone: '(555) 555-5555' });
    o.line_items[1].total = 'twelve';
    expect(() => mapWooOrder(o, 'woo')).toThrow(expect.objectContaining({ field: 'line_items/1/total' }));
    expect(() => mapWooOrder({ status: 'processing' }, 'woo')).toThrow(expect.objectContaining({ field: 'id' }));
  });

  it('reads the service level from the shipping method', () => {
    expect(wooServiceLevel([{ method_id: 'flat_rate', method_title: 'Flat Rate' }])).toBe('standard');
    expect(wooServiceLevel([{ method_id: 'flexible_shipping', method_title: 'Express (2-Day)' }])).toBe('express');
    expect(wooServiceLevel([{ method_id: 'ups_next_day_air', method_title: 'UPS' }])).toBe('next_day');
    expect(wooServiceLevel(undefined)).toBe('standard');
  });
});
