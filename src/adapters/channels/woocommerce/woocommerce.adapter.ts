import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CaptureInput } from '../../../modules/orders/order.types.ts';
import { amountReader, captureAddress, ChannelMappingError, serviceLevelFromText } from '../channel-mapping.ts';

/**
 * WooCommerce channel adapter: webhook verification and the REST API v3 order object → Switchyard's capture input.
 *
 * Wire format (woocommerce core, `WC_Webhook::generate_signature`): X-WC-Webhook-Signature =
 * base64(HMAC-SHA256(webhook secret, trim(wp_json_encode(payload)))) — the body as sent, so the digest is taken over
 * the raw bytes, trimmed. Topic in X-WC-Webhook-Topic (`order.created`, `order.updated`, …); a new webhook first
 * sends a ping whose form-encoded body is `webhook_id=N`.
 */
export function verifyWooSignature(rawBody: string, header: string | undefined, secrets: ReadonlyArray<string | null | undefined>): boolean {
  if (!header) return false;
  const given = Buffer.from(header, 'base64');
  if (given.length === 0) return false;
  const msg = rawBody.trim();
  return secrets.some((s) => {
    if (!s) return false;
    const expected = createHmac('sha256', s).update(msg, 'utf8').digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

export function signWoo(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody.trim(), 'utf8').digest('base64');
}

/** The ping a new WooCommerce webhook sends: form-encoded `webhook_id=N`, nothing to capture. */
export function isWooPing(rawBody: string): boolean {
  return /^webhook_id=\d+$/.test(rawBody.trim());
}

/**
 * Statuses whose stock is committed: paid (`processing`, `completed`) or awaiting an offline payment the shop
 * has accepted the order for (`on-hold`: bank transfer, cheque). `pending` (checkout not paid), `failed`,
 * `cancelled`, `refunded`, `draft`/`checkout-draft` are not captured; a later `order.updated` with a captured
 * status brings the order in (capture is idempotent on the order id).
 */
export const WOO_CAPTURED_STATUSES: ReadonlySet<string> = new Set(['processing', 'on-hold', 'completed']);

/** Statuses that end an order in the shop: a captured order in one of them is cancelled in Switchyard. */
export const WOO_CANCELLED_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'refunded', 'failed']);

interface WooAddress {
  first_name?: string; last_name?: string; company?: string; address_1?: string; address_2?: string;
  city?: string; state?: string; postcode?: string; country?: string; phone?: string;
}

function address(a: WooAddress | null | undefined, field: string) {
  return captureAddress(
    a ? { name: [a.first_name, a.last_name].filter(Boolean).join(' '), company: a.company, line1: a.address_1, line2: a.address_2, city: a.city, region: a.state, postcode: a.postcode, country: a.country, phone: a.phone } : {},
    field,
    'address_1, city and country',
  );
}

/** Service level from the shipping method the customer chose (method id and title). */
export function wooServiceLevel(shippingLines: Array<{ method_id?: string; method_title?: string }> | undefined): string {
  return serviceLevelFromText(`${shippingLines?.[0]?.method_id ?? ''} ${shippingLines?.[0]?.method_title ?? ''}`);
}

/**
 * A WooCommerce v3 order → capture input. Amounts are decimal strings in the order's currency. A line's unit price
 * is its pre-discount subtotal over the quantity (rounded up to the minor unit; Woo's float `price` is not used) and its
 * discount is whatever makes unit × quantity − discount equal the line's `total` exactly, so the order's net
 * amounts survive the mapping to the cent. Lines without a SKU cannot be stocked: the order is refused whole
 * (quarantined by the caller), never captured without them.
 */
export function mapWooOrder(o: any, channel: string): CaptureInput {
  if (!o || typeof o !== 'object' || o.id === undefined) throw new ChannelMappingError('id', 'not a WooCommerce order: no id');
  const currency = String(o.currency ?? '').toUpperCase();
  const minor = amountReader(currency);
  const items: any[] = Array.isArray(o.line_items) ? o.line_items : [];
  if (items.length === 0) throw new ChannelMappingError('line_items', 'order has no line items');
  const placed = o.date_created_gmt ? new Date(`${String(o.date_created_gmt).replace(/Z$/, '')}Z`) : null;
  const name = [o.billing?.first_name, o.billing?.last_name].filter(Boolean).join(' ');
  return {
    channel,
    externalId: String(o.id),
    customer: {
      ...(name ? { name } : {}),
      ...(o.billing?.email ? { email: String(o.billing.email) } : {}),
    },
    shippingAddress: address(o.shipping?.address_1 ? o.shipping : o.billing, o.shipping?.address_1 ? 'shipping' : 'billing'),
    ...(o.billing?.address_1 ? { billingAddress: address(o.billing, 'billing') } : {}),
    currency,
    serviceLevel: wooServiceLevel(o.shipping_lines),
    tags: [],
    ...(placed && !Number.isNaN(placed.getTime()) ? { placedAt: placed.toISOString() } : {}),
    shippingMinor: (o.shipping_lines ?? []).reduce((a: number, s: any, i: number) => a + minor(s.total, `shipping_lines/${i}/total`), 0),
    lines: items.map((l, i) => {
      if (!l.sku) throw new ChannelMappingError(`line_items/${i}/sku`, `line item ${l.id} (${l.name ?? 'no name'}) has no SKU`);
      const qty = Number(l.quantity);
      if (!Number.isInteger(qty) || qty <= 0) throw new ChannelMappingError(`line_items/${i}/quantity`, `line item ${l.id} quantity must be a positive integer`);
      const subtotal = minor(l.subtotal, `line_items/${i}/subtotal`);
      const total = minor(l.total, `line_items/${i}/total`);
      const unit = Math.ceil(subtotal / qty); // up, so that the discount below is never negative
      return {
        sku: String(l.sku),
        quantity: qty,
        unitPriceMinor: unit,
        discountMinor: unit * qty - total,
        taxMinor: minor(l.total_tax, `line_items/${i}/total_tax`),
      };
    }),
  };
}
