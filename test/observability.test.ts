import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, LOG_REDACT, type App } from '../src/app.ts';
import { buildServer } from '../src/http/server.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { seedDemo } from '../src/seed.ts';
import { signShopify } from '../src/adapters/channels/shopify/shopify.adapter.ts';
import { orderBody } from './support/engines.ts';

/** Logs carry request ids and never a secret; /metrics counts captures and latency. */
describe('logs and metrics', () => {
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let logs = '';
  const sink = new Writable({ write(chunk, _enc, cb) { logs += chunk.toString(); cb(); } });
  beforeAll(async () => {
    const config = loadConfig({ LOG_LEVEL: 'info' }, { databaseUrl: null, dataDir: '', runDispatcher: false });
    const log = pino({ level: 'debug', redact: { paths: LOG_REDACT, censor: '[redacted]' } }, sink);
    app = await createApp(config, { log, database: await openDatabase({ url: null }) });
    await seedDemo(app, { skuCount: 10 });
    server = await buildServer(app);
    await server.ready();
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
  });

  it('no API key, webhook secret or signature ever reaches the log; every request line has its id', async () => {
    const admin = (await app.apiKeys.create({ name: 'obs-admin', role: 'admin' })).key;
    const h = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    const created = await server.inject({ method: 'POST', url: '/v1/orders', headers: h, payload: JSON.stringify(orderBody('obs-1')) });
    expect(created.statusCode).toBe(201);
    const key = JSON.parse((await server.inject({ method: 'POST', url: '/v1/api-keys', headers: h, payload: JSON.stringify({ name: 'k2', role: 'viewer' }) })).body).key;
    const secret = JSON.parse((await server.inject({ method: 'POST', url: '/v1/channels/web/rotate-secret', headers: h })).body).webhookSecret;
    const sub = JSON.parse((await server.inject({ method: 'POST', url: '/v1/webhook-subscriptions', headers: h, payload: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) })).body).secret;
    const body = JSON.stringify({ id: 1 });
    const sig = signShopify(body, secret);
    await server.inject({ method: 'POST', url: '/v1/channels/web/webhooks/shopify', headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': sig, 'x-shopify-topic': 'orders/create' }, payload: body });
    await server.inject({ method: 'GET', url: '/v1/orders', headers: { 'x-api-key': key } });
    await server.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: 'Bearer sy_admin_not-a-real-key' } });
    // and if code ever logs a request's headers or a secret-bearing object, redaction holds
    app.log.warn({ req: { headers: { authorization: `Bearer ${admin}`, 'x-shopify-hmac-sha256': sig } }, channel: { webhookSecret: secret }, subscription: { secret: sub } }, 'probe');
    expect(logs).toContain('probe');
    for (const s of [admin, key, secret, sub, sig, 'sy_admin_not-a-real-key']) expect(logs).not.toContain(s);
    const lines = logs.trim().split('\n').map((l) => JSON.parse(l));
    const requestLines = lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(5);
    expect(requestLines.every((l) => typeof l.reqId === 'string' && l.reqId.length > 0)).toBe(true);
  });

  it('the OpenAPI 3.1 document describes every /v1 route with its schemas', async () => {
    const doc = JSON.parse((await server.inject({ method: 'GET', url: '/docs/json' })).body);
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/v1/orders', '/v1/promise', '/v1/routing/preview', '/v1/inventory/receipts', '/v1/quarantine/{id}/replay']) expect(doc.paths[path]).toBeDefined();
    const capture = doc.paths['/v1/orders'].post;
    expect(capture.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['channel', 'externalId', 'lines', 'currency']));
    expect(capture.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });

  it('/metrics exposes capture counts by channel and result, and latency histograms', async () => {
    const key = (await app.apiKeys.create({ name: 'obs-ops', role: 'ops' })).key;
    const h = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    await server.inject({ method: 'POST', url: '/v1/orders', headers: h, payload: JSON.stringify(orderBody('obs-2')) });
    await server.inject({ method: 'POST', url: '/v1/orders', headers: h, payload: JSON.stringify(orderBody('obs-2')) });
    await server.inject({ method: 'POST', url: '/v1/orders', headers: h, payload: JSON.stringify(orderBody('obs-3', [['NOPE', 1]])) });
    const m = await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${key}` } });
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(/switchyard_orders_captured_total\{channel="web",result="created"\} [2-9]/);
    expect(m.body).toMatch(/switchyard_orders_captured_total\{channel="web",result="repeat"\} 1/);
    expect(m.body).toMatch(/switchyard_orders_captured_total\{channel="web",result="rejected"\} 1/);
    expect(m.body).toMatch(/switchyard_http_request_duration_seconds_bucket\{le="0\.05",method="POST",route="\/v1\/orders",status="201"\}/);
    expect(m.body).toMatch(/switchyard_capture_duration_seconds_count [1-9]/);
    expect((await server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });

  it('/metrics counts orders held at capture and orders whose reservations moved, by why', async () => {
    const key = (await app.apiKeys.create({ name: 'obs-ops-2', role: 'ops' })).key;
    const h = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const post = async (url: string, body: unknown) => JSON.parse((await server.inject({ method: 'POST', url, headers: h, payload: JSON.stringify(body) })).body);
    await post('/v1/hold-rules', { id: 'obs-review', name: 'Review', reason: 'look first', conditions: { in: ['review', { var: 'tags' }] } });
    expect((await post('/v1/orders', orderBody('obs-held', [['SKU-00004', 1]], { tags: ['review'] }))).status).toBe('on_hold');
    const o = await post('/v1/orders', orderBody('obs-moved', [['SKU-00005', 1]]));
    const moved = await post(`/v1/orders/${o.id}/reroute`, { location: o.reservations[0].location, reason: 'damaged' });
    expect(moved.id).toBe(o.id);
    const m = (await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${key}` } })).body;
    expect(m).toMatch(/switchyard_orders_held_at_capture_total\{channel="web"\} 1/);
    expect(m).toMatch(/switchyard_orders_rerouted_total\{kind="rejection"\} 1/);
  });
});
