// Sales channels: what feeds each one, and how a shop or trading partner connects to Switchyard (the URL to give it,
// the signing secret to rotate).
import { api, loadItems, problemView } from './api.js';
import { badge, h, loading, mount, table, toast } from './dom.js';
import { humanize } from './format.js';

/** Where each kind of channel sends its orders, and how it proves who it is. */
const INTAKE = {
  shopify: { path: (c) => `/v1/channels/${c}/webhooks/shopify`, how: 'Shopify admin → Notifications → Webhooks: order creation, order payment and order cancellation, JSON; signed with the channel secret (X-Shopify-Hmac-SHA256).' },
  woocommerce: { path: (c) => `/v1/channels/${c}/webhooks/woocommerce`, how: 'WooCommerce → Settings → Advanced → Webhooks: Order created and Order updated, API v3; secret = the channel secret (X-WC-Webhook-Signature).' },
  edi: { path: (c) => `/v1/channels/${c}/edi/850`, how: 'POST each X12 850 interchange (Content-Type application/edi-x12) with a channel API key of this channel; the answer carries the 997 and the 855.' },
};

export async function renderChannels(root) {
  const results = h('div', { class: 'results' }, loading('Loading channels…'));
  mount(root, h('h1', {}, 'Channels'),
    h('p', { class: 'muted' }, 'Each sales channel, the locations whose stock it may sell, and where its orders come in. Orders from any channel can also be posted to POST /v1/orders with a channel API key.'),
    results);
  const items = await loadItems(results, '/v1/channels', 'No channels yet: create one with POST /v1/channels (admin).');
  if (!items) return;
  mount(results, table([
    ['Channel', (c) => [h('strong', {}, c.name), h('br'), h('code', {}, c.code), ' ', c.active ? null : badge('inactive', 'inactive')]],
    ['Kind', (c) => humanize(c.kind)],
    ['Sells stock of', (c) => (c.locations?.length ? c.locations.join(', ') : h('span', { class: 'muted' }, 'no location'))],
    ['Buffer', (c) => String(c.buffer ?? 0), 'num'],
    ['Orders come in at', (c) => intake(c)],
  ], items, { rowClass: (c) => (c.active ? null : 'muted-row') }));
}

function intake(c) {
  const how = INTAKE[c.kind];
  if (!how) return h('span', { class: 'muted' }, 'POST /v1/orders (channel API key)');
  const url = `${location.origin}${how.path(encodeURIComponent(c.code))}`;
  const slot = h('div', {});
  const rotate = c.kind === 'edi' ? null : h('button', {
    type: 'button',
    class: 'secondary small',
    onclick: async () => {
      rotate.disabled = true;
      try {
        const r = await api('POST', `/v1/channels/${encodeURIComponent(c.code)}/rotate-secret`);
        mount(slot, h('div', { class: 'notice' },
          h('p', {}, 'New secret (shown once; the previous one is still accepted for an hour while you update the shop):'),
          h('code', { class: 'wrap secret' }, r.webhookSecret)));
        toast(`Secret of ${c.code} rotated`);
      } catch (err) {
        mount(slot, problemView(err));
      } finally {
        rotate.disabled = false;
      }
    },
  }, 'Rotate secret');
  return [h('code', { class: 'wrap intake-url' }, url), h('br'), h('small', { class: 'muted' }, how.how), rotate ? h('br') : null, rotate, slot];
}
