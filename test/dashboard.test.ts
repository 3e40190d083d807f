import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DIR } from '../src/http/dashboard/dashboard.routes.ts';
import { CURRENCY_EXPONENTS } from '../src/domain/money/currency.ts';
import { startTestApp, type TestApp } from './support/engines.ts';

/** The ops dashboard at `/`: static files, public, no data of their own. */
const JS_FILES = readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.js'));
const source = (name: string) => readFileSync(join(DASHBOARD_DIR, name), 'utf8');

/** Every URL under /dashboard/ that index.html references (src= and href=), and every module those import. */
function referencedAssets(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/\b(?:src|href)="(\/dashboard\/[^"]+)"/g)) found.add(m[1]!);
  const queue = [...found].filter((u) => u.endsWith('.js'));
  while (queue.length) {
    const url = queue.pop()!;
    for (const m of source(url.replace('/dashboard/', '')).matchAll(/\bfrom\s+'\.\/([^']+)'/g)) {
      const dep = `/dashboard/${m[1]}`;
      if (!found.has(dep)) {
        found.add(dep);
        queue.push(dep);
      }
    }
  }
  return [...found].sort();
}

const EXPECTED_TYPE: Record<string, RegExp> = {
  '.js': /^text\/javascript; charset=utf-8$/,
  '.css': /^text\/css; charset=utf-8$/,
  '.svg': /^image\/svg\+xml/,
};

describe('ops dashboard', () => {
  let t: TestApp;
  let html: string;

  beforeAll(async () => {
    t = await startTestApp('pglite', { seed: false });
    html = (await t.server.inject({ method: 'GET', url: '/' })).body;
  });
  afterAll(async () => t?.close());

  it('serves the app shell at / as HTML, without an API key', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toMatch(/^<!doctype html>/i);
    expect(res.body).toContain('<main id="view"');
    expect(res.body).toContain('<script type="module" src="/dashboard/app.js"></script>');
    for (const tab of ['orders', 'inventory', 'promise', 'profiles']) expect(res.body).toContain(`href="#${tab}" data-tab="${tab}"`);
    expect(res.body).toContain('id="api-key"');
    // no inline script or style, so the CSP can forbid both
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/<style|\sstyle="|\son[a-z]+="/i);
  });

  it('serves every asset the page references with its content type', async () => {
    const assets = referencedAssets(html);
    expect(assets).toEqual(expect.arrayContaining(['/dashboard/app.js', '/dashboard/dashboard.css', '/dashboard/favicon.svg', '/dashboard/orders.js', '/dashboard/format.js']));
    for (const url of assets) {
      const res = await t.server.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(String(res.headers['content-type']), url).toMatch(EXPECTED_TYPE[url.slice(url.lastIndexOf('.'))]!);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.body, url).toBe(source(url.replace('/dashboard/', '')));
    }
    // every file of the folder the browser loads is reachable from the page (no dead or forgotten files)
    expect(JS_FILES.map((f) => `/dashboard/${f}`).filter((u) => !assets.includes(u))).toEqual([]);
  });

  it('needs no API key, and ignores a bad one', async () => {
    for (const url of ['/', '/dashboard/app.js', '/dashboard/dashboard.css']) {
      expect((await t.server.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      const bad = await t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer sy_admin_${'x'.repeat(43)}` } });
      expect(bad.statusCode, url).toBe(200);
    }
    expect((await t.server.inject({ method: 'HEAD', url: '/dashboard/app.js' })).statusCode).toBe(200);
  });

  it('answers an unknown asset, the plugin source or a path trick with 404 problem+json', async () => {
    for (const url of ['/dashboard/x', '/dashboard/nope.js', '/dashboard/dashboard.routes.ts', '/dashboard/index.html', '/dashboard/', '/dashboard/..%2Fdashboard.routes.ts', '/dashboard/../../package.json', '/dashboard/%2e%2e/%2e%2e/package.json']) {
      const res = await t.server.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(String(res.headers['content-type']), url).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body).code, url).toBe('route_not_found');
    }
  });

  it('revalidates with an ETag', async () => {
    const first = await t.server.inject({ method: 'GET', url: '/dashboard/app.js' });
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    const again = await t.server.inject({ method: 'GET', url: '/dashboard/app.js', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('keeps the routes out of the OpenAPI document', async () => {
    const doc = JSON.parse((await t.server.inject({ method: 'GET', url: '/docs/json' })).body);
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/dashboard'))).toEqual([]);
  });

  it('never writes markup from strings: no innerHTML and friends in the JS', () => {
    expect(JS_FILES.length).toBeGreaterThanOrEqual(6);
    for (const f of JS_FILES) {
      const code = source(f);
      expect(code, f).not.toMatch(/\.innerHTML\s*[+]?=|\.outerHTML\s*[+]?=/);
      expect(code, f).not.toMatch(/\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|srcdoc)\b/);
      expect(code, f).not.toMatch(/\beval\s*\(|new Function\s*\(/);
    }
  });

  it('calls only API routes the server has (each answers an anonymous call with 401, not 404)', async () => {
    const paths = new Set<string>();
    for (const f of JS_FILES) {
      for (const m of source(f).matchAll(/[`'](\/v1\/[^`']*)[`']/g)) {
        paths.add(m[1]!.replace(/\$\{query\(.*?\)\}/g, '').replace(/\$\{[^}]*\}/g, 'x'));
      }
    }
    expect([...paths]).toEqual(expect.arrayContaining(['/v1/orders', '/v1/orders/x', '/v1/orders/x/routing', '/v1/orders/x/hold', '/v1/orders/x/release-hold', '/v1/orders/x/cancel', '/v1/inventory/x', '/v1/inventory/receipts', '/v1/inventory/adjustments', '/v1/promise', '/v1/routing/profiles', '/v1/quarantine', '/v1/quarantine/x/replay', '/v1/channels', '/v1/channels/x/rotate-secret']));
    for (const url of paths) {
      const codes = [];
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const) {
        const res = await t.server.inject({ method, url });
        // a channel's webhook receiver (shown, not called: the shop posts to it) is signature-authenticated: for an
        // unknown channel it answers 404 channel_not_found, where a path the server lacks answers route_not_found
        codes.push(res.statusCode === 404 && JSON.parse(res.body).code === 'channel_not_found' ? 'receiver' : res.statusCode);
      }
      expect(codes, url).toEqual(expect.arrayContaining([expect.toSatisfy((c) => c === 401 || c === 'receiver')]));
    }
  });

  it('uses the ids in index.html that app.js looks up', () => {
    for (const m of source('app.js').matchAll(/getElementById\('([^']+)'\)/g)) expect(html, m[1]).toContain(`id="${m[1]}"`);
  });

  describe('money and dates (format.js)', () => {
    let fmt: any;
    beforeAll(async () => {
      fmt = await import(pathToFileURL(join(DASHBOARD_DIR, 'format.js')).href);
    });

    it('has the server\u2019s table of currency exponents', () => {
      expect({ ...fmt.CURRENCY_EXPONENTS }).toEqual({ ...CURRENCY_EXPONENTS });
    });

    it('formats integer minor units with the currency\u2019s exponent', () => {
      expect(fmt.formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
      expect(fmt.formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
      expect(fmt.formatMoney(-5, 'USD', 'en-US')).toBe('-$0.05');
      expect(fmt.formatMoney(1234, 'JPY', 'en-US')).toBe('¥1,234');
      expect(fmt.formatMoney(1234500, 'KWD', 'en-US')).toMatch(/^KWD\s1,234\.500$/);
      expect(fmt.formatMoney(754, 'EUR', 'de-DE')).toBe('7,54\u00a0€');
      expect(fmt.formatMoney(900719925474099, 'USD', 'en-US')).toBe('$9,007,199,254,740.99');
      expect(fmt.formatMoney(null, 'USD')).toBe('—');
      expect(fmt.formatMoneyDelta(728, 'USD', 'en-US')).toBe('+$7.28');
      expect(fmt.formatMoneyDelta(-321, 'USD', 'en-US')).toBe('−$3.21');
    });

    it('shows a calendar date without a time-zone shift', () => {
      expect(fmt.formatDay('2026-11-25', 'en-GB')).toBe('Wed, 25 Nov 2026');
    });
  });
});
