import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.ts';

/**
 * The ops dashboard: static HTML, CSS and ES modules from this folder, read once at startup and served from
 * memory. The routes are public (no `config.roles`) because the files hold no data: the page asks for an API
 * key and calls the JSON API with it, so the API's own authorisation applies to everything it shows.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('.', import.meta.url));
/**
 * The dashboard's React parts (the profile editor), built by Vite from `web/` (`npm run build:web`, run by
 * `npm start` and `npm test`). Served beside the dashboard's files when built; without them the page keeps its
 * JSON editor.
 */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Same-origin only: no inline script or style, no framing; the API is the only thing the page talks to. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Every servable file of a folder, by name (by extension: never the plugin's own source). */
function readAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name, asset(readFileSync(join(dir, name)), type));
  }
  return assets;
}

/** The dashboard's own files. */
export function loadDashboardAssets(dir = DASHBOARD_DIR): Map<string, Asset> {
  const assets = readAssets(dir);
  if (!assets.has('index.html')) throw new Error(`dashboard: index.html missing in ${dir}`);
  return assets;
}

/** The built React parts, by file name (none when not built). */
export function loadWebBuild(dir = WEB_BUILD_DIR): Map<string, Asset> {
  return existsSync(dir) ? readAssets(dir) : new Map();
}

function asset(body: Buffer, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

export const dashboardRoutes = (_app: App): FastifyPluginAsync => async (f) => {
  const assets = loadDashboardAssets();
  const built = loadWebBuild();
  if (!built.has('profile-editor.js')) f.log.warn('dashboard: the profile editor is not built (npm run build:web); the profiles tab offers the JSON editor only');
  for (const [name, a] of built) if (!assets.has(name)) assets.set(name, a);

  const send = (req: FastifyRequest, reply: FastifyReply, asset: Asset) => {
    reply
      .header('cache-control', 'no-cache')
      .header('etag', asset.etag)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    if (asset.type.startsWith('text/html')) reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY');
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };

  f.get('/', { schema: { hide: true } }, async (req, reply) => send(req, reply, assets.get('index.html')!));

  f.get('/dashboard/*', { schema: { hide: true } }, async (req, reply) => {
    const name = (req.params as { '*': string })['*'];
    // flat folder: a name with a slash (or any other path trick) is simply not in the map
    const asset = name !== 'index.html' ? assets.get(name) : undefined;
    if (!asset) return reply.callNotFound();
    return send(req, reply, asset);
  });
};
