import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CaptureInput } from '../../../modules/orders/order.types.ts';
import { amountReader, captureAddress, ChannelMappingError, serviceLevelFromText } from '../channel-mapping.ts';

/**
 * Shopify channel adapter: webhook verification and the REST Admin Order resource → Switchyard's capture input.
 * Wire format: X-Shopify-Hmac-SHA256 = base64(HMAC-SHA256(app secret, raw body bytes)).
 */
export function verifyShopifyHmac(rawBody: string, header: string | undefined, secrets: ReadonlyArray<string | null | undefined>): boolean {
  if (!header) return false;
  let given: Buffer;
  try {
    given = Buffer.from(header, 'base64');
  } catch {
    return false;
  }
  return secrets.some((s) => {
    if (!s) return false;
    const expected = createHmac('sha256', s).update(rawBody, 'utf8').digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

export function signShopify(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('base64');
}


interface ShopifyAddress {
  name?: string; first_name?: string; last_name?: string; company?: string | null; address1?: string; address2?: string | null;
  city?: string; province_code?: string | null; zip?: string | null; country_code?: string; phone?: string | null;
}

function address(a: ShopifyAddress | null | undefined, field: string) {
  return captureAddress(
    a ? { name: a.name ?? [a.first_name, a.last_name].filter(Boolean).join(' '), company: a.company, line1: a.address1, line2: a.address2, city: a.city, region: a.province_code, postcode: a.zip, country: a.country_code, phone: a.phone } : {},
    field,
    'address1, city and country_code',
  );
}

/** Service level from the shipping line the customer chose. */
export function serviceLevelOf(shippingLines: Array<{ code?: string; title?: string }> | undefined): string {
  return serviceLevelFromText(`${shippingLines?.[0]?.code ?? ''} ${shippingLines?.[0]?.title ?? ''}`);
}

export function mapShopifyOrder(o: any, channel: string): CaptureInput {
  if (!o || typeof o !== 'object' || o.id === undefined) throw new ChannelMappingError('id', 'not a Shopify order: no id');
  const currency = String(o.currency ?? '').toUpperCase();
  const minor = amountReader(currency);
  const items: any[] = Array.isArray(o.line_items) ? o.line_items.filter((l: any) => l.requires_shipping !== false) : [];
  if (items.length === 0) throw new ChannelMappingError('line_items', 'order has no shippable line items');
  return {
    channel,
    externalId: String(o.id),
    customer: {
      ...(o.customer?.first_name || o.customer?.last_name ? { name: [o.customer.first_name, o.customer.last_name].filter(Boolean).join(' ') } : {}),
      ...(o.email ? { email: String(o.email) } : {}),
    },
    shippingAddress: address(o.shipping_address, 'shipping_address'),
    ...(o.billing_address?.address1 ? { billingAddress: address(o.billing_address, 'billing_address') } : {}),
    currency,
    serviceLevel: serviceLevelOf(o.shipping_lines),
    tags: String(o.tags ?? '').split(',').map((t: string) => t.trim()).filter(Boolean).slice(0, 50),
    ...(o.created_at ? { placedAt: new Date(o.created_at).toISOString() } : {}),
    shippingMinor: (o.shipping_lines ?? []).reduce((a: number, s: any, i: number) => a + minor(s.price, `shipping_lines/${i}/price`), 0),
    lines: items.map((l, i) => {
      if (!l.sku) throw new ChannelMappingError(`line_items/${i}/sku`, `line item ${l.id} has no SKU`);
      return {
        sku: String(l.sku),
        quantity: Number(l.quantity),
        unitPriceMinor: minor(l.price, `line_items/${i}/price`),
        discountMinor: minor(l.total_discount ?? '0', `line_items/${i}/total_discount`),
        taxMinor: (l.tax_lines ?? []).reduce((a: number, t: any, j: number) => a + minor(t.price, `line_items/${i}/tax_lines/${j}/price`), 0),
      };
    }),
  };
}
