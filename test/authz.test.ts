import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../src/platform/context.ts';
import { ApiKeyService } from '../src/modules/auth/api-key.service.ts';
import { ENGINES, orderBody, startTestApp, type TestApp } from './support/engines.ts';

/**
 * Authorization matrix: every route the server registers × every kind of caller.
 *
 * The route list is taken from the server itself: `fastify` is wrapped so that each instance gets an `onRoute`
 * hook before anything is registered, and the test fails if a registered route is missing from ROUTES (or
 * ROUTES lists one that does not exist). The expected roles come from ROUTES, written from the route files.
 */
const registered = vi.hoisted(() => [] as Array<{ method: string; url: string }>);
vi.mock('fastify', async (importOriginal) => {
  const mod = await importOriginal<any>();
  const factory = (...args: unknown[]) => {
    const instance = mod.default(...args);
    instance.addHook('onRoute', (r: { method: string | string[]; url: string }) => {
      for (const method of [r.method].flat()) registered.push({ method, url: r.url });
    });
    return instance;
  };
  return { ...mod, default: Object.assign(factory, mod.default) };
});

type Caller = 'none' | 'bad key' | Role;
const CALLERS: Caller[] = ['none', 'admin', 'ops', 'viewer', 'channel', 'bad key'];
const ALL: Role[] = ['admin', 'ops', 'viewer', 'channel'];
const STAFF: Role[] = ['admin', 'ops', 'viewer'];
const WRITE: Role[] = ['admin', 'ops'];
const ADMIN: Role[] = ['admin'];
const CAPTURE: Role[] = ['admin', 'ops', 'channel'];

interface Fixtures {
  orderId: string;
  shopifySecret: string;
  wooSecret: string;
}
interface Route {
  method: string;
  /** the route as registered */
  url: string;
  /** who may call it; 'public' = no API key needed */
  roles: Role[] | 'public';
  /** the concrete URL to call ({order} is replaced); the route URL when omitted */
  path?: string;
  /** a plausible body, so an allowed call is not refused for another reason */
  body?: (f: Fixtures) => unknown;
  headers?: (f: Fixtures, body: unknown) => Record<string, string>;
}

let n = 0;
const uniq = (p: string) => `${p}-${++n}-${randomUUID().slice(0, 6)}`;
const shopifyPayload = { id: 1, topic: 'ignored' };
const shopifySignature = (secret: string) => createHmac('sha256', secret).update(JSON.stringify(shopifyPayload), 'utf8').digest('base64');
const wooPayload = { id: 1, status: 'processing' };
const wooSignature = (secret: string) => createHmac('sha256', secret).update(JSON.stringify(wooPayload), 'utf8').digest('base64');

const ROUTES: Route[] = [
  // server.ts
  { method: 'GET', url: '/health', roles: 'public' },
  { method: 'GET', url: '/ready', roles: 'public' },
  { method: 'GET', url: '/metrics', roles: STAFF },
  // swagger-ui
  { method: 'GET', url: '/docs', roles: 'public' },
  { method: 'GET', url: '/docs/', roles: 'public' },
  { method: 'GET', url: '/docs/json', roles: 'public' },
  { method: 'GET', url: '/docs/yaml', roles: 'public' },
  { method: 'GET', url: '/docs/static/index.html', roles: 'public' },
  { method: 'GET', url: '/docs/static/swagger-initializer.js', roles: 'public' },
  { method: 'GET', url: '/docs/static/*', path: '/docs/static/swagger-ui.css', roles: 'public' },
  // dashboard/dashboard.routes.ts: static files that hold no data
  { method: 'GET', url: '/', roles: 'public' },
  { method: 'GET', url: '/dashboard/*', path: '/dashboard/app.js', roles: 'public' },
  // orders.routes.ts
  { method: 'POST', url: '/v1/orders', roles: CAPTURE, body: () => orderBody(uniq('authz')) },
  { method: 'GET', url: '/v1/orders', roles: ALL },
  { method: 'GET', url: '/v1/orders/:id', path: '/v1/orders/{order}', roles: ALL },
  { method: 'GET', url: '/v1/orders/:id/routing', path: '/v1/orders/{order}/routing', roles: STAFF },
  { method: 'POST', url: '/v1/orders/:id/hold', path: '/v1/orders/{order}/hold', roles: WRITE, body: () => ({ reason: 'authz' }) },
  { method: 'POST', url: '/v1/orders/:id/release-hold', path: '/v1/orders/{order}/release-hold', roles: WRITE, body: () => ({ reason: 'authz' }) },
  { method: 'POST', url: '/v1/orders/:id/cancel', path: '/v1/orders/{order}/cancel', roles: CAPTURE, body: () => ({ reason: 'authz' }) },
  // catalog.routes.ts
  { method: 'POST', url: '/v1/skus', roles: WRITE, body: () => ({ sku: uniq('AUTHZ'), name: 'Authz thing' }) },
  { method: 'GET', url: '/v1/skus', roles: STAFF },
  { method: 'GET', url: '/v1/skus/:sku', path: '/v1/skus/SKU-00001', roles: STAFF },
  { method: 'POST', url: '/v1/locations', roles: WRITE, body: () => ({ code: uniq('LOC'), name: 'Authz DC', type: 'warehouse', country: 'US' }) },
  { method: 'GET', url: '/v1/locations', roles: STAFF },
  { method: 'GET', url: '/v1/locations/:code', path: '/v1/locations/WH-NJ', roles: STAFF },
  { method: 'PATCH', url: '/v1/locations/:code', path: '/v1/locations/ST-NYC', roles: WRITE, body: () => ({ name: 'SoHo store' }) },
  { method: 'POST', url: '/v1/locations/:code/closures', path: '/v1/locations/ST-NYC/closures', roles: WRITE, body: () => ({ date: '2031-01-02' }) },
  { method: 'DELETE', url: '/v1/locations/:code/closures/:date', path: '/v1/locations/ST-NYC/closures/2031-01-02', roles: WRITE },
  { method: 'GET', url: '/v1/network/status', roles: STAFF },
  { method: 'GET', url: '/v1/planning/stock-cover', roles: STAFF },
  { method: 'GET', url: '/v1/hold-rules', roles: STAFF },
  { method: 'POST', url: '/v1/hold-rules', roles: WRITE, body: () => ({ id: 'authz-rule', name: 'Authz', reason: 'authz', conditions: { '==': [{ var: 'channel' }, 'nowhere'] } }) },
  { method: 'GET', url: '/v1/hold-rules/:id', path: '/v1/hold-rules/authz-rule', roles: STAFF },
  { method: 'GET', url: '/v1/locations/:code/history', path: '/v1/locations/WH-NJ/history', roles: STAFF },
  { method: 'POST', url: '/v1/locations/:code/evacuate', path: '/v1/locations/FC-SZ/evacuate', roles: WRITE, body: () => ({ reason: 'authz', dryRun: true }) },
  // inventory.routes.ts
  { method: 'POST', url: '/v1/inventory/receipts', roles: WRITE, body: () => ({ sku: 'SKU-00010', location: 'WH-NJ', qty: 1 }) },
  { method: 'POST', url: '/v1/inventory/adjustments', roles: WRITE, body: () => ({ sku: 'SKU-00010', location: 'WH-NJ', delta: 1, reason: 'authz' }) },
  { method: 'POST', url: '/v1/inventory/counts', roles: WRITE, body: () => ({ sku: 'SKU-00010', location: 'WH-NJ', counted: 100 }) },
  { method: 'POST', url: '/v1/inventory/transfers', roles: WRITE, body: () => ({ sku: 'SKU-00010', from: 'WH-NJ', to: 'WH-CA', qty: 1 }) },
  { method: 'POST', url: '/v1/inventory/safety-stock', roles: WRITE, body: () => ({ sku: 'SKU-00010', location: 'WH-NJ', qty: 0 }) },
  { method: 'GET', url: '/v1/inventory/:sku', path: '/v1/inventory/SKU-00010', roles: STAFF },
  { method: 'GET', url: '/v1/inventory/:sku/ledger', path: '/v1/inventory/SKU-00010/ledger', roles: STAFF },
  // admin.routes.ts
  { method: 'POST', url: '/v1/channels', roles: ADMIN, body: () => ({ code: uniq('ch'), name: 'Authz channel', kind: 'api' }) },
  { method: 'GET', url: '/v1/channels', roles: STAFF },
  { method: 'GET', url: '/v1/channels/:code', path: '/v1/channels/web', roles: STAFF },
  { method: 'PATCH', url: '/v1/channels/:code', path: '/v1/channels/ebay', roles: ADMIN, body: () => ({ name: 'eBay' }) },
  { method: 'PUT', url: '/v1/channels/:code/locations', path: '/v1/channels/ebay/locations', roles: ADMIN, body: () => ({ locations: ['WH-NJ', 'WH-CA'] }) },
  { method: 'PUT', url: '/v1/channels/:code/protections/:sku', path: '/v1/channels/ebay/protections/SKU-00010', roles: WRITE, body: () => ({ qty: 0 }) },
  { method: 'POST', url: '/v1/channels/:code/rotate-secret', path: '/v1/channels/ebay/rotate-secret', roles: ADMIN },
  { method: 'GET', url: '/v1/channels/:code/availability', path: '/v1/channels/web/availability?sku=SKU-00001', roles: ALL },
  { method: 'POST', url: '/v1/webhook-subscriptions', roles: ADMIN, body: () => ({ url: 'http://127.0.0.1:9/authz-hook', eventTypes: ['order.held'] }) },
  { method: 'GET', url: '/v1/webhook-subscriptions', roles: WRITE },
  { method: 'DELETE', url: '/v1/webhook-subscriptions/:id', path: `/v1/webhook-subscriptions/${randomUUID()}`, roles: ADMIN },
  { method: 'GET', url: '/v1/webhook-deliveries', roles: WRITE },
  { method: 'POST', url: '/v1/webhook-deliveries/:id/redeliver', path: '/v1/webhook-deliveries/999999/redeliver', roles: WRITE },
  { method: 'POST', url: '/v1/api-keys', roles: ADMIN, body: () => ({ name: uniq('authz-key'), role: 'viewer' }) },
  { method: 'GET', url: '/v1/api-keys', roles: ADMIN },
  { method: 'DELETE', url: '/v1/api-keys/:id', path: `/v1/api-keys/${randomUUID()}`, roles: ADMIN },
  // quarantine (channel-webhooks.routes.ts)
  { method: 'GET', url: '/v1/quarantine', roles: STAFF },
  { method: 'POST', url: '/v1/quarantine/:id/replay', path: `/v1/quarantine/${randomUUID()}/replay`, roles: WRITE },
  // routing.routes.ts
  { method: 'GET', url: '/v1/routing/profiles', roles: STAFF },
  { method: 'POST', url: '/v1/routing/profiles', roles: WRITE, body: () => ({ id: 'authz-profile', name: 'Authz profile', conditions: { '==': [{ var: 'channel' }, 'nowhere'] } }) },
  { method: 'GET', url: '/v1/routing/profiles/:id', path: '/v1/routing/profiles/authz-profile', roles: STAFF },
  { method: 'POST', url: '/v1/routing/profiles/:id/restore', path: '/v1/routing/profiles/authz-profile/restore', roles: WRITE, body: () => ({ version: 1 }) },
  { method: 'GET', url: '/v1/routing/stats', roles: STAFF },
  { method: 'POST', url: '/v1/routing/reoptimise', roles: WRITE, body: () => ({ dryRun: true, orders: { limit: 5 } }) },
  { method: 'POST', url: '/v1/routing/simulate', roles: WRITE, body: () => ({ profile: { id: 'authz-sim', name: 'Authz simulation' }, orders: { limit: 5 } }) },
  { method: 'POST', url: '/v1/routing/preview', roles: ALL, body: () => ({ channel: 'web', destination: { country: 'US', postcode: '02110' }, lines: [{ sku: 'SKU-00003', quantity: 1 }] }) },
  { method: 'POST', url: '/v1/promise', roles: ALL, body: () => ({ channel: 'web', destination: { country: 'US', postcode: '02110' }, lines: [{ sku: 'SKU-00003', quantity: 1 }] }) },
  { method: 'POST', url: '/v1/orders/:id/reoptimise', path: '/v1/orders/{order}/reoptimise', roles: WRITE, body: () => ({ dryRun: true }) },
  { method: 'POST', url: '/v1/orders/:id/assign', path: '/v1/orders/{order}/assign', roles: WRITE, body: () => ({ location: 'WH-NJ', reason: 'authz', dryRun: true }) },
  { method: 'POST', url: '/v1/orders/:id/reroute', path: '/v1/orders/{order}/reroute', roles: WRITE, body: () => ({ location: 'WH-NJ', reason: 'authz' }) },
  // EDI intake (channel-webhooks.routes.ts): an API key; a channel key only for its own channel (test/edi.test.ts), so
  // the path names a channel that is not an EDI one and every allowed caller meets a 404
  { method: 'POST', url: '/v1/channels/:code/edi/850', path: '/v1/channels/web/edi/850', roles: CAPTURE, body: () => 'ISA*00*', headers: () => ({ 'content-type': 'application/edi-x12' }) },
  // channel-webhooks.routes.ts: authenticated by the Shopify signature, not by an API key
  {
    method: 'POST',
    url: '/v1/channels/:code/webhooks/shopify',
    path: '/v1/channels/web/webhooks/shopify',
    roles: 'public',
    body: () => shopifyPayload,
    headers: (f) => ({ 'x-shopify-topic': 'app/uninstalled', 'x-shopify-hmac-sha256': shopifySignature(f.shopifySecret) }),
  },
  {
    method: 'POST',
    url: '/v1/channels/:code/webhooks/woocommerce',
    path: '/v1/channels/woo/webhooks/woocommerce',
    roles: 'public',
    body: () => wooPayload,
    headers: (f) => ({ 'x-wc-webhook-topic': 'product.updated', 'x-wc-webhook-signature': wooSignature(f.wooSecret) }),
  },
];

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** fastify registers a prefixed plugin's '/' route as both '/docs' and '/docs/' but reports it once */
const normalKey = (r: { method: string; url: string }) => `${r.method} ${r.url.length > 1 ? r.url.replace(/\/$/, '') : r.url}`;

for (const engine of ENGINES) {
  describe(`authorization [${engine}]`, () => {
    let t: TestApp;
    let fx: Fixtures;
    let routes: Array<{ method: string; url: string }>;
    /** every response body of the matrix, for the secrets check */
    const bodies: string[] = [];

    beforeAll(async () => {
      registered.length = 0;
      t = await startTestApp(engine, { seed: { skuCount: 20 } });
      routes = [...registered];
      const o = await t.call('channel', 'POST', '/v1/orders', orderBody('authz-fixture', [['SKU-00003', 1]]));
      expect(o.status).toBe(201);
      const web = await t.app.channels.getByCode('web');
      const woo = await t.app.channels.getByCode('woo');
      fx = { orderId: o.body.id, shopifySecret: (await t.app.channels.secrets(web.id)).current!, wooSecret: (await t.app.channels.secrets(woo.id)).current! };
    });
    afterAll(async () => t?.close());

    /** Sends a route's request as a caller; returns status and problem code. */
    async function send(route: Route, caller: Caller) {
      const body = route.body?.(fx);
      const headers = { ...route.headers?.(fx, body), ...(caller === 'bad key' ? { authorization: `Bearer sy_admin_${'x'.repeat(43)}` } : {}) };
      const role = caller === 'none' || caller === 'bad key' ? null : caller;
      const res = await t.call(role, route.method, (route.path ?? route.url).replace('{order}', fx.orderId), body, headers);
      bodies.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
      return res;
    }

    it('lists every registered route, and only registered routes', () => {
      const listed = new Set(ROUTES.map(normalKey));
      // fastify adds a HEAD route for each GET route; it shares the GET route's config (and roles)
      const real = new Set(routes.map(normalKey).filter((k) => !(k.startsWith('HEAD ') && routes.some((g) => normalKey(g) === k.replace(/^HEAD/, 'GET')))));
      expect(real.size).toBeGreaterThan(40);
      expect([...real].filter((k) => !listed.has(k)), 'routes missing from ROUTES').toEqual([]);
      expect([...listed].filter((k) => !real.has(k)), 'ROUTES entries the server does not have').toEqual([]);
      for (const r of ROUTES) expect(t.server.hasRoute({ method: r.method as any, url: r.url }), routeKey(r)).toBe(true);
    });

    const matrix = ROUTES.flatMap((route) => CALLERS.map((caller) => [`${routeKey(route)} as ${caller}`, route, caller] as const));
    it.each(matrix)('%s', async (_name, route, caller) => {
      const res = await send(route, caller);
      const detail = `${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
      expect(res.body?.code, detail).not.toBe('route_not_found');
      if (route.roles === 'public') {
        expect([401, 403], detail).not.toContain(res.status);
        expect(res.status, detail).toBeLessThan(500);
      } else if (caller === 'none') {
        expect(res.status, detail).toBe(401);
        expect(res.body.code).toBe('unauthenticated');
      } else if (caller === 'bad key') {
        expect(res.status, detail).toBe(401);
        expect(res.body.code).toBe('invalid_api_key');
      } else if (!route.roles.includes(caller)) {
        expect(res.status, detail).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      } else {
        expect([401, 403], detail).not.toContain(res.status);
        expect(res.status, detail).toBeLessThan(500);
      }
    });

    it('never puts a plaintext API key in a response', () => {
      expect(bodies.length).toBe(matrix.length);
      const leaked = Object.entries(t.keys).filter(([, key]) => bodies.some((b) => b.includes(key)));
      expect(leaked.map(([role]) => role)).toEqual([]);
    });

    it('lists API keys and channels without key material or webhook secrets', async () => {
      const keys = await t.call('admin', 'GET', '/v1/api-keys');
      expect(keys.status).toBe(200);
      expect(keys.body.items.length).toBeGreaterThanOrEqual(5);
      const keysText = JSON.stringify(keys.body);
      for (const key of Object.values(t.keys)) {
        expect(keysText).not.toContain(key);
        expect(keysText).not.toContain(ApiKeyService.hash(key));
      }
      for (const item of keys.body.items) expect(Object.keys(item).filter((k) => /key|hash|secret/i.test(k))).toEqual([]);

      const reads = [await t.call('admin', 'GET', '/v1/channels'), await t.call('admin', 'GET', '/v1/channels/web'), await t.call('admin', 'GET', '/v1/webhook-subscriptions')];
      const secrets = [];
      for (const ch of await t.app.channels.list()) {
        const s = await t.app.channels.secrets(ch.id);
        secrets.push(...[s.current, s.previous].filter((x): x is string => !!x));
      }
      expect(secrets.length).toBeGreaterThanOrEqual(5);
      for (const r of reads) {
        expect(r.status).toBe(200);
        const text = JSON.stringify(r.body);
        expect(text).not.toMatch(/secret/i);
        for (const s of secrets) expect(text).not.toContain(s);
      }
    });

    it('refuses a channel key acting for another channel', async () => {
      const capture = await t.call('channel', 'POST', '/v1/orders', orderBody('authz-other', [['SKU-00003', 1]], { channel: 'amazon-us' }));
      expect(capture.status).toBe(403);
      expect(capture.body.code).toBe('channel_mismatch');
      const atp = await t.call('channel', 'GET', '/v1/channels/amazon-us/availability?sku=SKU-00001');
      expect(atp.status).toBe(403);
      expect(atp.body.code).toBe('channel_mismatch');
      const list = await t.call('channel', 'GET', '/v1/orders?channel=amazon-us');
      expect(list.status).toBe(403);
      // another channel's order looks absent to a channel key
      const amazonOrder = await t.call('channel_amazon', 'POST', '/v1/orders', orderBody('authz-amazon', [['SKU-00003', 1]], { channel: 'amazon-us' }));
      expect(amazonOrder.status).toBe(201);
      expect((await t.call('channel', 'GET', `/v1/orders/${amazonOrder.body.id}`)).status).toBe(404);
      const cancel = await t.call('channel', 'POST', `/v1/orders/${amazonOrder.body.id}/cancel`, { reason: 'not mine' });
      expect(cancel.status).toBe(404);
      expect((await t.call('admin', 'GET', `/v1/orders/${amazonOrder.body.id}`)).body.status).not.toBe('cancelled');
    });

    it('accepts the key in X-Api-Key, and refuses a revoked key', async () => {
      const created = await t.call('admin', 'POST', '/v1/api-keys', { name: 'soon-revoked', role: 'ops' });
      expect(created.status).toBe(201);
      const byHeader = await t.call(null, 'GET', '/v1/orders', undefined, { 'x-api-key': created.body.key });
      expect(byHeader.status).toBe(200);
      expect((await t.call('admin', 'DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(204);
      const after = await t.call(null, 'GET', '/v1/orders', undefined, { authorization: `Bearer ${created.body.key}` });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('invalid_api_key');
    });

    it('authenticates the Shopify receiver by signature only: an API key without a signature is refused', async () => {
      const res = await t.call('admin', 'POST', '/v1/channels/web/webhooks/shopify', shopifyPayload, { 'x-shopify-topic': 'orders/create' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_signature');
    });

    it('authenticates the WooCommerce receiver by signature only: an API key without a signature is refused', async () => {
      const res = await t.call('admin', 'POST', '/v1/channels/woo/webhooks/woocommerce', wooPayload, { 'x-wc-webhook-topic': 'order.created' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_signature');
    });

    it('protects the HEAD twin of a protected GET route', async () => {
      expect((await t.call(null, 'HEAD', '/v1/orders')).status).toBe(401);
      expect((await t.call('channel', 'HEAD', '/v1/skus')).status).toBe(403);
    });
  });
}
