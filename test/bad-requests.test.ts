import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/platform/context.ts';
import { ENGINES, orderBody, startTestApp, tableCounts, type TestApp } from './support/engines.ts';

/**
 * A corpus of bad requests. Each one must be refused with the expected 4xx status, as application/problem+json
 * with a stable `code` (and `field` where the case names one), and must leave every table exactly as it was.
 */

/** Things created once per app that cases refer to: `{order}`, `{line}` and `{uuid}` in a URL are replaced. */
interface Fixtures {
  orderId: string;
  lineId: string;
}
type Body = unknown;
interface Case {
  name: string;
  method: string;
  url: string;
  /** an object is sent as JSON; a string is sent raw (as application/json unless `headers` says otherwise) */
  body?: Body | ((f: Fixtures) => Body);
  headers?: Record<string, string>;
  /** the key to send; admin unless given (null = no key) */
  as?: Role | null;
  status: number;
  code: string;
  field?: string;
}

/** A valid order with one change applied (the change may mutate the clone). */
const order = (change: (b: any) => void = () => {}) => {
  const b: any = structuredClone(orderBody(`bad-${randomUUID()}`));
  change(b);
  return b;
};
const line = (sku = 'SKU-00003', quantity = 1) => ({ sku, quantity, unitPriceMinor: 1500 });
const location = (extra: Record<string, unknown> = {}) => ({ code: `LOC-${randomUUID().slice(0, 8)}`, name: 'Somewhere', type: 'warehouse', country: 'US', ...extra });
const sku = (extra: Record<string, unknown> = {}) => ({ sku: `NEW-${randomUUID().slice(0, 8)}`, name: 'New thing', ...extra });
const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const VALID_ORDER_JSON = JSON.stringify(orderBody('raw-1'));

const MALFORMED: Case[] = [
  { name: 'truncated JSON', method: 'POST', url: '/v1/orders', body: VALID_ORDER_JSON.slice(0, 60), status: 400, code: 'malformed_json' },
  { name: 'trailing comma', method: 'POST', url: '/v1/orders', body: VALID_ORDER_JSON.replace(/}$/, ',}'), status: 400, code: 'malformed_json' },
  { name: 'single-quoted JSON', method: 'POST', url: '/v1/orders', body: VALID_ORDER_JSON.replace(/"/g, "'"), status: 400, code: 'malformed_json' },
  { name: 'NaN as a number', method: 'POST', url: '/v1/orders', body: VALID_ORDER_JSON.replace('"quantity":1', '"quantity":NaN'), status: 400, code: 'malformed_json' },
  { name: 'comment in JSON', method: 'POST', url: '/v1/orders', body: `/* hi */ ${VALID_ORDER_JSON}`, status: 400, code: 'malformed_json' },
  { name: 'empty body with a JSON content type', method: 'POST', url: '/v1/orders', body: '', status: 400, code: 'invalid_request', field: 'body' },
  { name: 'a JSON array instead of an object', method: 'POST', url: '/v1/orders', body: `[${VALID_ORDER_JSON}]`, status: 400, code: 'invalid_request', field: 'body' },
  { name: 'JSON null', method: 'POST', url: '/v1/orders', body: 'null', status: 400, code: 'invalid_request', field: 'body' },
  { name: 'a JSON string', method: 'POST', url: '/v1/orders', body: '"order"', status: 400, code: 'invalid_request', field: 'body' },
  { name: '__proto__ pollution', method: 'POST', url: '/v1/orders', body: VALID_ORDER_JSON.replace(/^{/, '{"__proto__":{"isAdmin":true},'), status: 400, code: 'malformed_json' },
  { name: 'constructor.prototype pollution', method: 'POST', url: '/v1/orders', body: VALID_ORDER_JSON.replace(/^{/, '{"constructor":{"prototype":{"isAdmin":true}},'), status: 400, code: 'malformed_json' },
  { name: 'body over the 256 KiB limit', method: 'POST', url: '/v1/orders', body: `{"pad":"${'x'.repeat(257 * 1024)}"}`, status: 413, code: 'payload_too_large' },
  { name: 'text/plain content type', method: 'POST', url: '/v1/orders', body: VALID_ORDER_JSON, headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type', field: 'content-type' },
  { name: 'application/xml content type', method: 'POST', url: '/v1/orders', body: '<order/>', headers: { 'content-type': 'application/xml' }, status: 415, code: 'unsupported_media_type', field: 'content-type' },
  { name: 'form-encoded order', method: 'POST', url: '/v1/orders', body: 'channel=web&externalId=f-1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 400, code: 'invalid_request', field: 'shippingAddress' },
];

const MISSING: Case[] = (
  [
    ['channel', (b) => delete b.channel],
    ['externalId', (b) => delete b.externalId],
    ['shippingAddress', (b) => delete b.shippingAddress],
    ['shippingAddress/country', (b) => delete b.shippingAddress.country],
    ['shippingAddress/line1', (b) => delete b.shippingAddress.line1],
    ['currency', (b) => delete b.currency],
    ['lines', (b) => delete b.lines],
    ['lines/0/sku', (b) => delete b.lines[0].sku],
    ['lines/0/quantity', (b) => delete b.lines[0].quantity],
    ['lines/0/unitPriceMinor', (b) => delete b.lines[0].unitPriceMinor],
  ] as Array<[string, (b: any) => void]>
).map(([field, change]) => ({ name: `order without ${field}`, method: 'POST', url: '/v1/orders', body: order(change), status: 400, code: 'invalid_request', field }));

/** Schema violations in an otherwise valid order: [name, change, field]. */
const ORDER_SCHEMA: Case[] = (
  [
    ['unknown top-level field', (b) => (b.giftWrap = true), 'giftWrap'],
    ['unknown field in a line', (b) => (b.lines[0].colour = 'red'), 'lines/0/colour'],
    ['unknown field in the address', (b) => (b.shippingAddress.county = 'Suffolk'), 'shippingAddress/county'],
    ['unknown field in the customer', (b) => (b.customer.vip = true), 'customer/vip'],
    ['negative quantity', (b) => (b.lines[0].quantity = -1), 'lines/0/quantity'],
    ['zero quantity', (b) => (b.lines[0].quantity = 0), 'lines/0/quantity'],
    ['fractional quantity', (b) => (b.lines[0].quantity = 1.5), 'lines/0/quantity'],
    ['quantity as a string', (b) => (b.lines[0].quantity = '2'), 'lines/0/quantity'],
    ['huge quantity', (b) => (b.lines[0].quantity = 1e9), 'lines/0/quantity'],
    ['quantity null', (b) => (b.lines[0].quantity = null), 'lines/0/quantity'],
    ['negative price', (b) => (b.lines[0].unitPriceMinor = -100), 'lines/0/unitPriceMinor'],
    ['fractional price', (b) => (b.lines[0].unitPriceMinor = 14.99), 'lines/0/unitPriceMinor'],
    ['price as a string', (b) => (b.lines[0].unitPriceMinor = '1500'), 'lines/0/unitPriceMinor'],
    ['negative discount', (b) => (b.lines[0].discountMinor = -1), 'lines/0/discountMinor'],
    ['empty lines', (b) => (b.lines = []), 'lines'],
    ['501 lines', (b) => (b.lines = Array.from({ length: 501 }, () => line())), 'lines'],
    ['lines not an array', (b) => (b.lines = line()), 'lines'],
    ['lowercase currency', (b) => (b.currency = 'usd'), 'currency'],
    ['two-letter currency', (b) => (b.currency = 'US'), 'currency'],
    ['three-letter country', (b) => (b.shippingAddress.country = 'USA'), 'shippingAddress/country'],
    ['lowercase country', (b) => (b.shippingAddress.country = 'us'), 'shippingAddress/country'],
    ['billing address without a city', (b) => (b.billingAddress = { line1: '1 Main St', country: 'US' }), 'billingAddress/city'],
    ['requestedDeliveryDate not YYYY-MM-DD', (b) => (b.requestedDeliveryDate = '13/01/2026'), 'requestedDeliveryDate'],
    ['placedAt not a date-time', (b) => (b.placedAt = 'yesterday'), 'placedAt'],
    ['invalid email', (b) => (b.customer.email = 'ada-at-example'), 'customer/email'],
    ['tags not an array', (b) => (b.tags = 'vip'), 'tags'],
    ['an empty tag', (b) => (b.tags = ['']), 'tags/0'],
    ['bad service level', (b) => (b.serviceLevel = 'Next Day!'), 'serviceLevel'],
    ['empty externalId', (b) => (b.externalId = ''), 'externalId'],
    ['externalId over 200 chars', (b) => (b.externalId = 'x'.repeat(201)), 'externalId'],
    ['channel code with a space', (b) => (b.channel = 'web shop'), 'channel'],
    ['sku code with a leading dash', (b) => (b.lines[0].sku = '-SKU'), 'lines/0/sku'],
  ] as Array<[string, (b: any) => void, string]>
).map(([name, change, field]) => ({ name: `order: ${name}`, method: 'POST', url: '/v1/orders', body: order(change), status: 400, code: 'invalid_request', field }));

const ORDER_SEMANTIC: Case[] = [
  { name: 'order: unknown SKU', method: 'POST', url: '/v1/orders', body: order((b) => (b.lines = [line('NO-SUCH-SKU')])), status: 422, code: 'unknown_sku', field: 'lines/0/sku' },
  { name: 'order: unknown SKU in the 2nd line', method: 'POST', url: '/v1/orders', body: order((b) => (b.lines = [line(), line('NO-SUCH-SKU')])), status: 422, code: 'unknown_sku', field: 'lines/1/sku' },
  { name: 'order: unknown channel', method: 'POST', url: '/v1/orders', body: order((b) => (b.channel = 'myspace')), status: 422, code: 'unknown_channel', field: 'channel' },
  { name: 'order: inactive channel', method: 'POST', url: '/v1/orders', body: order((b) => (b.channel = 'closed')), status: 422, code: 'channel_inactive', field: 'channel' },
  { name: 'order: unknown currency XYZ', method: 'POST', url: '/v1/orders', body: order((b) => (b.currency = 'XYZ')), status: 422, code: 'unknown_currency', field: 'currency' },
  { name: 'order: month 13 in requestedDeliveryDate', method: 'POST', url: '/v1/orders', body: order((b) => (b.requestedDeliveryDate = '2026-13-45')), status: 422, code: 'invalid_date', field: 'requestedDeliveryDate' },
  { name: 'order: 30 February in requestedDeliveryDate', method: 'POST', url: '/v1/orders', body: order((b) => (b.requestedDeliveryDate = '2026-02-30')), status: 422, code: 'invalid_date', field: 'requestedDeliveryDate' },
  { name: 'order: discount larger than the line', method: 'POST', url: '/v1/orders', body: order((b) => (b.lines[0].discountMinor = 1501)), status: 422, code: 'discount_exceeds_price', field: 'lines/0/discountMinor' },
  { name: 'order: Idempotency-Key reused with another payload', method: 'POST', url: '/v1/orders', body: order(), headers: { 'idempotency-key': 'bad-fixture-key' }, as: 'ops', status: 409, code: 'idempotency_key_reused', field: 'Idempotency-Key' },
  { name: 'order: Idempotency-Key over 200 chars', method: 'POST', url: '/v1/orders', body: order(), headers: { 'idempotency-key': 'k'.repeat(201) }, status: 400, code: 'invalid_request', field: 'headers/idempotency-key' },
];

const ROUTING_AND_READS: Case[] = [
  { name: 'unknown route', method: 'GET', url: '/v1/nope', status: 404, code: 'route_not_found' },
  { name: 'unsupported method on /v1/orders', method: 'DELETE', url: '/v1/orders', status: 404, code: 'route_not_found' },
  { name: 'PUT on an order', method: 'PUT', url: '/v1/orders/{order}', body: {}, status: 404, code: 'route_not_found' },
  { name: 'GET an order with a non-uuid id', method: 'GET', url: '/v1/orders/not-a-uuid', status: 404, code: 'order_not_found' },
  { name: 'GET an order that does not exist', method: 'GET', url: '/v1/orders/{uuid}', status: 404, code: 'order_not_found' },
  { name: 'routing of a non-uuid order', method: 'GET', url: '/v1/orders/xyz/routing', status: 404, code: 'order_not_found' },
  { name: 'list orders: garbage cursor', method: 'GET', url: '/v1/orders?cursor=garbage', status: 422, code: 'invalid_cursor', field: 'cursor' },
  { name: 'list orders: cursor with a bad time', method: 'GET', url: `/v1/orders?cursor=${cursor(['not-a-time', randomUUID()])}`, status: 422, code: 'invalid_cursor', field: 'cursor' },
  { name: 'list orders: cursor with a non-uuid id', method: 'GET', url: `/v1/orders?cursor=${cursor(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])}`, status: 422, code: 'invalid_cursor', field: 'cursor' },
  { name: 'list orders: limit=0', method: 'GET', url: '/v1/orders?limit=0', status: 400, code: 'invalid_request', field: 'querystring/limit' },
  { name: 'list orders: limit=1000', method: 'GET', url: '/v1/orders?limit=1000', status: 400, code: 'invalid_request', field: 'querystring/limit' },
  { name: 'list orders: limit=abc', method: 'GET', url: '/v1/orders?limit=abc', status: 400, code: 'invalid_request', field: 'querystring/limit' },
  { name: 'list orders: unknown filter', method: 'GET', url: '/v1/orders?colour=red', status: 400, code: 'invalid_request', field: 'querystring/colour' },
  { name: 'list orders: from not a date-time', method: 'GET', url: '/v1/orders?from=yesterday', status: 400, code: 'invalid_request', field: 'querystring/from' },
];

const CANCEL_AND_HOLD: Case[] = [
  { name: 'cancel: qty 0', method: 'POST', url: '/v1/orders/{order}/cancel', body: (f: Fixtures) => ({ reason: 'r', lines: [{ lineId: f.lineId, qty: 0 }] }), status: 400, code: 'invalid_request', field: 'lines/0/qty' },
  { name: 'cancel: unknown line id', method: 'POST', url: '/v1/orders/{order}/cancel', body: { reason: 'r', lines: [{ lineId: randomUUID(), qty: 1 }] }, status: 422, code: 'unknown_line', field: 'lines/0/lineId' },
  { name: 'cancel: line id not a uuid', method: 'POST', url: '/v1/orders/{order}/cancel', body: { reason: 'r', lines: [{ lineId: 'line-1', qty: 1 }] }, status: 400, code: 'invalid_request', field: 'lines/0/lineId' },
  { name: 'cancel: more than ordered', method: 'POST', url: '/v1/orders/{order}/cancel', body: (f: Fixtures) => ({ reason: 'r', lines: [{ lineId: f.lineId, qty: 3 }] }), status: 422, code: 'invalid_quantity', field: 'lines/0/qty' },
  { name: 'cancel: empty lines', method: 'POST', url: '/v1/orders/{order}/cancel', body: { reason: 'r', lines: [] }, status: 400, code: 'invalid_request', field: 'lines' },
  { name: 'cancel: no reason', method: 'POST', url: '/v1/orders/{order}/cancel', body: {}, status: 400, code: 'invalid_request', field: 'reason' },
  { name: 'cancel: unknown order', method: 'POST', url: '/v1/orders/{uuid}/cancel', body: { reason: 'r' }, status: 404, code: 'order_not_found' },
  { name: 'hold: no reason', method: 'POST', url: '/v1/orders/{order}/hold', body: {}, status: 400, code: 'invalid_request', field: 'reason' },
  { name: 'hold: empty reason', method: 'POST', url: '/v1/orders/{order}/hold', body: { reason: '' }, status: 400, code: 'invalid_request', field: 'reason' },
  { name: 'hold: unknown order', method: 'POST', url: '/v1/orders/{uuid}/hold', body: { reason: 'r' }, status: 404, code: 'order_not_found' },
  { name: 'release-hold: order not on hold', method: 'POST', url: '/v1/orders/{order}/release-hold', body: { reason: 'r' }, status: 409, code: 'not_on_hold', field: 'status' },
];

const INVENTORY: Case[] = [
  { name: 'receipt: negative qty', method: 'POST', url: '/v1/inventory/receipts', body: { sku: 'SKU-00003', location: 'WH-NJ', qty: -5 }, status: 400, code: 'invalid_request', field: 'qty' },
  { name: 'receipt: zero qty', method: 'POST', url: '/v1/inventory/receipts', body: { sku: 'SKU-00003', location: 'WH-NJ', qty: 0 }, status: 400, code: 'invalid_request', field: 'qty' },
  { name: 'receipt: no location', method: 'POST', url: '/v1/inventory/receipts', body: { sku: 'SKU-00003', qty: 5 }, status: 400, code: 'invalid_request', field: 'location' },
  { name: 'receipt: unknown location', method: 'POST', url: '/v1/inventory/receipts', body: { sku: 'SKU-00003', location: 'WH-MOON', qty: 5 }, status: 422, code: 'unknown_location', field: 'location' },
  { name: 'receipt: unknown SKU', method: 'POST', url: '/v1/inventory/receipts', body: { sku: 'NO-SUCH-SKU', location: 'WH-NJ', qty: 5 }, status: 422, code: 'unknown_sku', field: 'sku' },
  { name: 'receipt: a kit', method: 'POST', url: '/v1/inventory/receipts', body: { sku: 'KIT-STARTER', location: 'WH-NJ', qty: 5 }, status: 422, code: 'kit_not_stocked', field: 'sku' },
  { name: 'adjustment: delta 0', method: 'POST', url: '/v1/inventory/adjustments', body: { sku: 'SKU-00003', location: 'WH-NJ', delta: 0, reason: 'r' }, status: 400, code: 'invalid_request', field: 'delta' },
  { name: 'adjustment: no reason', method: 'POST', url: '/v1/inventory/adjustments', body: { sku: 'SKU-00003', location: 'WH-NJ', delta: 1 }, status: 400, code: 'invalid_request', field: 'reason' },
  { name: 'adjustment: below zero on hand', method: 'POST', url: '/v1/inventory/adjustments', body: { sku: 'SKU-00003', location: 'WH-NJ', delta: -1_000_000, reason: 'r' }, status: 409, code: 'insufficient_stock', field: 'delta' },
  { name: 'count: negative', method: 'POST', url: '/v1/inventory/counts', body: { sku: 'SKU-00003', location: 'WH-NJ', counted: -1 }, status: 400, code: 'invalid_request', field: 'counted' },
  { name: 'transfer: to the same location', method: 'POST', url: '/v1/inventory/transfers', body: { sku: 'SKU-00003', from: 'WH-NJ', to: 'WH-NJ', qty: 1 }, status: 422, code: 'same_location', field: 'to' },
  { name: 'transfer: more than is free', method: 'POST', url: '/v1/inventory/transfers', body: { sku: 'SKU-00003', from: 'WH-NJ', to: 'WH-CA', qty: 1_000_000 }, status: 409, code: 'insufficient_free_stock', field: 'qty' },
  { name: 'transfer: to an unknown location', method: 'POST', url: '/v1/inventory/transfers', body: { sku: 'SKU-00003', from: 'WH-NJ', to: 'WH-MOON', qty: 1 }, status: 422, code: 'unknown_location', field: 'to' },
  { name: 'safety stock: negative', method: 'POST', url: '/v1/inventory/safety-stock', body: { sku: 'SKU-00003', location: 'WH-NJ', qty: -1 }, status: 400, code: 'invalid_request', field: 'qty' },
  { name: 'ledger: limit=0', method: 'GET', url: '/v1/inventory/SKU-00003/ledger?limit=0', status: 400, code: 'invalid_request', field: 'querystring/limit' },
];

const CATALOG: Case[] = [
  { name: 'SKU: duplicate code', method: 'POST', url: '/v1/skus', body: sku({ sku: 'SKU-00001' }), status: 409, code: 'sku_exists', field: 'sku' },
  { name: 'SKU: duplicate code with a new product', method: 'POST', url: '/v1/skus', body: sku({ sku: 'SKU-00001', productCode: 'PROD-NEW' }), status: 409, code: 'sku_exists', field: 'sku' },
  { name: 'SKU: kit with a component that does not exist', method: 'POST', url: '/v1/skus', body: sku({ components: [{ sku: 'NO-SUCH-SKU', qty: 1 }] }), status: 422, code: 'unknown_sku', field: 'components/0/sku' },
  { name: 'SKU: kit of a kit', method: 'POST', url: '/v1/skus', body: sku({ components: [{ sku: 'KIT-STARTER', qty: 1 }] }), status: 422, code: 'nested_kit', field: 'components/0/sku' },
  { name: 'SKU: kit listing a component twice', method: 'POST', url: '/v1/skus', body: sku({ components: [{ sku: 'SKU-00001', qty: 1 }, { sku: 'SKU-00001', qty: 2 }] }), status: 422, code: 'duplicate_component', field: 'components' },
  { name: 'SKU: bad code', method: 'POST', url: '/v1/skus', body: sku({ sku: '-bad' }), status: 400, code: 'invalid_request', field: 'sku' },
  { name: 'SKU: no name', method: 'POST', url: '/v1/skus', body: { sku: 'NEW-NONAME' }, status: 400, code: 'invalid_request', field: 'name' },
  { name: 'SKU: non-numeric HS code', method: 'POST', url: '/v1/skus', body: sku({ hsCode: 'abc' }), status: 400, code: 'invalid_request', field: 'hsCode' },
  { name: 'SKU: get unknown', method: 'GET', url: '/v1/skus/NO-SUCH-SKU', status: 404, code: 'sku_not_found' },
  { name: 'location: bad time zone', method: 'POST', url: '/v1/locations', body: location({ timeZone: 'Mars/Olympus_Mons' }), status: 422, code: 'invalid_time_zone', field: 'timeZone' },
  { name: 'location: cutoff 25:00', method: 'POST', url: '/v1/locations', body: location({ cutoffTime: '25:00' }), status: 400, code: 'invalid_request', field: 'cutoffTime' },
  { name: 'location: duplicate code', method: 'POST', url: '/v1/locations', body: location({ code: 'WH-NJ' }), status: 409, code: 'location_exists', field: 'code' },
  { name: 'location: unknown type', method: 'POST', url: '/v1/locations', body: location({ type: 'spaceport' }), status: 400, code: 'invalid_request', field: 'type' },
  { name: 'location: latitude 91', method: 'POST', url: '/v1/locations', body: location({ lat: 91 }), status: 400, code: 'invalid_request', field: 'lat' },
  { name: 'location: patch with a bad time zone', method: 'PATCH', url: '/v1/locations/WH-NJ', body: { timeZone: 'Nowhere/Land' }, status: 422, code: 'invalid_time_zone', field: 'timeZone' },
  { name: 'location: patch an unknown location', method: 'PATCH', url: '/v1/locations/WH-MOON', body: { name: 'x' }, status: 404, code: 'location_not_found' },
  { name: 'location: patch the code', method: 'PATCH', url: '/v1/locations/WH-NJ', body: { code: 'WH-XX' }, status: 400, code: 'invalid_request', field: 'code' },
];

const ADMIN: Case[] = [
  { name: 'channel: duplicate code', method: 'POST', url: '/v1/channels', body: { code: 'web', name: 'Web again', kind: 'api' }, status: 409, code: 'channel_exists', field: 'code' },
  { name: 'channel: unknown kind', method: 'POST', url: '/v1/channels', body: { code: 'myspace', name: 'MySpace', kind: 'myspace' }, status: 400, code: 'invalid_request', field: 'kind' },
  { name: 'channel: short webhook secret', method: 'POST', url: '/v1/channels', body: { code: 'short', name: 'Short', kind: 'api', webhookSecret: 'abc' }, status: 400, code: 'invalid_request', field: 'webhookSecret' },
  { name: 'channel: unknown location', method: 'POST', url: '/v1/channels', body: { code: 'newch', name: 'New', kind: 'api', locations: ['WH-NJ', 'WH-MOON'] }, status: 422, code: 'unknown_location', field: 'locations/1' },
  { name: 'channel: patch an unknown channel', method: 'PATCH', url: '/v1/channels/myspace', body: { name: 'x' }, status: 404, code: 'channel_not_found' },
  { name: 'channel: set an unknown location', method: 'PUT', url: '/v1/channels/web/locations', body: { locations: ['WH-MOON'] }, status: 422, code: 'unknown_location', field: 'locations/0' },
  { name: 'channel: protect an unknown SKU', method: 'PUT', url: '/v1/channels/web/protections/NO-SUCH-SKU', body: { qty: 1 }, status: 422, code: 'unknown_sku', field: 'sku' },
  { name: 'channel: protect a negative qty', method: 'PUT', url: '/v1/channels/web/protections/SKU-00001', body: { qty: -1 }, status: 400, code: 'invalid_request', field: 'qty' },
  { name: 'channel: availability without sku', method: 'GET', url: '/v1/channels/web/availability', status: 400, code: 'invalid_request', field: 'querystring/sku' },
  { name: 'channel: availability of an unknown channel', method: 'GET', url: '/v1/channels/myspace/availability?sku=SKU-00001', status: 404, code: 'channel_not_found' },
  { name: 'channel: rotate the secret of an unknown channel', method: 'POST', url: '/v1/channels/myspace/rotate-secret', status: 404, code: 'channel_not_found' },
  { name: 'webhook subscription: not a URL', method: 'POST', url: '/v1/webhook-subscriptions', body: { url: 'not a url at all' }, status: 422, code: 'invalid_url', field: 'url' },
  { name: 'webhook subscription: ftp URL', method: 'POST', url: '/v1/webhook-subscriptions', body: { url: 'ftp://example.com/hook' }, status: 422, code: 'invalid_url', field: 'url' },
  { name: 'webhook subscription: no URL', method: 'POST', url: '/v1/webhook-subscriptions', body: { eventTypes: ['order.*'] }, status: 400, code: 'invalid_request', field: 'url' },
  { name: 'webhook subscription: bad event type', method: 'POST', url: '/v1/webhook-subscriptions', body: { url: 'https://example.com/hook', eventTypes: ['Order Created'] }, status: 400, code: 'invalid_request', field: 'eventTypes/0' },
  { name: 'webhook subscription: short secret', method: 'POST', url: '/v1/webhook-subscriptions', body: { url: 'https://example.com/hook', secret: 'abc' }, status: 400, code: 'invalid_request', field: 'secret' },
  { name: 'webhook subscription: delete a non-uuid id', method: 'DELETE', url: '/v1/webhook-subscriptions/not-a-uuid', status: 404, code: 'subscription_not_found' },
  { name: 'webhook subscription: delete an unknown id', method: 'DELETE', url: '/v1/webhook-subscriptions/{uuid}', status: 404, code: 'subscription_not_found' },
  { name: 'webhook delivery: redeliver a non-numeric id', method: 'POST', url: '/v1/webhook-deliveries/abc/redeliver', status: 400, code: 'invalid_request', field: 'params/id' },
  { name: 'webhook delivery: redeliver an unknown id', method: 'POST', url: '/v1/webhook-deliveries/999999/redeliver', status: 404, code: 'delivery_not_found' },
  { name: 'webhook deliveries: unknown status filter', method: 'GET', url: '/v1/webhook-deliveries?status=lost', status: 400, code: 'invalid_request', field: 'querystring/status' },
  { name: 'api key: channel role without a channel', method: 'POST', url: '/v1/api-keys', body: { name: 'k', role: 'channel' }, status: 422, code: 'channel_required', field: 'channel' },
  { name: 'api key: channel role with an unknown channel', method: 'POST', url: '/v1/api-keys', body: { name: 'k', role: 'channel', channel: 'myspace' }, status: 422, code: 'unknown_channel', field: 'channel' },
  { name: 'api key: admin role naming a channel', method: 'POST', url: '/v1/api-keys', body: { name: 'k', role: 'admin', channel: 'web' }, status: 422, code: 'channel_not_allowed', field: 'channel' },
  { name: 'api key: unknown role', method: 'POST', url: '/v1/api-keys', body: { name: 'k', role: 'root' }, status: 400, code: 'invalid_request', field: 'role' },
  { name: 'api key: revoke a non-uuid id', method: 'DELETE', url: '/v1/api-keys/not-a-uuid', status: 404, code: 'api_key_not_found' },
  { name: 'shopify webhook: no signature', method: 'POST', url: '/v1/channels/web/webhooks/shopify', body: { id: 1 }, headers: { 'x-shopify-topic': 'orders/create' }, as: null, status: 401, code: 'invalid_signature', field: 'x-shopify-hmac-sha256' },
  { name: 'shopify webhook: wrong signature', method: 'POST', url: '/v1/channels/web/webhooks/shopify', body: { id: 1 }, headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': Buffer.alloc(32).toString('base64') }, as: null, status: 401, code: 'invalid_signature', field: 'x-shopify-hmac-sha256' },
  { name: 'shopify webhook: not a Shopify channel', method: 'POST', url: '/v1/channels/amazon-us/webhooks/shopify', body: { id: 1 }, as: null, status: 404, code: 'channel_not_found' },
];

const CASES: Case[] = [...MALFORMED, ...MISSING, ...ORDER_SCHEMA, ...ORDER_SEMANTIC, ...ROUTING_AND_READS, ...CANCEL_AND_HOLD, ...INVENTORY, ...CATALOG, ...ADMIN];

for (const engine of ENGINES) {
  describe(`bad requests [${engine}]`, () => {
    let t: TestApp;
    let fx: Fixtures;
    beforeAll(async () => {
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
      const o = await t.call('ops', 'POST', '/v1/orders', orderBody('bad-fixture', [['SKU-00003', 2]]), { 'idempotency-key': 'bad-fixture-key' });
      expect(o.status).toBe(201);
      fx = { orderId: o.body.id, lineId: o.body.lines[0].id };
      await t.app.channels.create({ code: 'closed', name: 'Closed shop', kind: 'api', locations: ['WH-NJ'] });
      await t.app.channels.update('closed', { active: false });
    });
    afterAll(async () => t?.close());

    it('has a corpus of at least 60 cases with unique names', () => {
      expect(CASES.length).toBeGreaterThanOrEqual(60);
      expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    });

    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const url = c.url.replace('{order}', fx.orderId).replace('{line}', fx.lineId).replace('{uuid}', randomUUID());
      const body = typeof c.body === 'function' ? (c.body as (f: Fixtures) => Body)(fx) : c.body;
      const headers = typeof body === 'string' ? { 'content-type': 'application/json', ...c.headers } : c.headers;
      const before = await tableCounts(t.app);
      const res = await t.call(c.as === undefined ? 'admin' : c.as, c.method, url, body, headers);
      const after = await tableCounts(t.app);

      expect(res.status, JSON.stringify(res.body)).toBe(c.status);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: c.status, code: c.code, detail: expect.any(String) });
      if (c.field !== undefined) expect(res.body.field).toBe(c.field);
      expect(after).toEqual(before);
    });
  });
}
