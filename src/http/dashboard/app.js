// The dashboard shell: API key, tabs (hash routes) and the view in <main>.
import { api, getKey, setKey } from './api.js';
import { h, mount } from './dom.js';
import { renderInventory } from './inventory.js';
import { renderOrderDetail, renderOrderList } from './orders.js';
import { renderProfiles } from './profiles.js';
import { renderPromise } from './promise.js';
import { renderQuarantine } from './quarantine.js';
import { renderChannels } from './channels.js';
import { renderLocations } from './locations.js';
import { renderHolds } from './holds.js';

const view = /** @type {HTMLElement} */ (document.getElementById('view'));
const keyForm = /** @type {HTMLFormElement} */ (document.getElementById('key-form'));
const keyInput = /** @type {HTMLInputElement} */ (document.getElementById('api-key'));
const keyForget = /** @type {HTMLButtonElement} */ (document.getElementById('key-forget'));
const keyStatus = /** @type {HTMLElement} */ (document.getElementById('key-status'));

/** Channel codes for the inputs that take one (best effort; a key without catalog access just gets no hints). */
const channelCodes = h('datalist', { id: 'channel-codes' });
document.body.append(channelCodes);
function loadChannels() {
  mount(channelCodes);
  if (getKey()) api('GET', '/v1/channels').then((r) => mount(channelCodes, (r?.items ?? []).map((c) => h('option', { value: c.code }, c.name)))).catch(() => {});
}

function showKeyState() {
  const key = getKey();
  // show only the key's public prefix (sy_<role>_), never the secret part
  const prefix = /^sy_[a-z]+_/.exec(key)?.[0];
  keyStatus.textContent = key ? `Using ${prefix ?? 'a key'}…` : 'No key';
  keyForget.hidden = !key;
  keyInput.placeholder = key ? 'replace key' : 'sy_…';
}

keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return;
  setKey(key);
  keyInput.value = '';
  loadChannels();
  route();
});
keyForget.addEventListener('click', () => {
  setKey('');
  loadChannels();
  route();
});

function welcome() {
  return h('section', { class: 'card welcome' },
    h('h1', {}, 'Switchyard operations'),
    h('p', {}, 'Enter an API key at the top of the page to see orders, stock, locations, delivery promises, routing profiles, channels and the channel quarantine. The key stays in this browser tab (sessionStorage) and is sent only to this server, as ', h('code', {}, 'Authorization: Bearer'), '.'),
    h('p', {}, 'Running the demo (', h('code', {}, 'npm start'), ')? Its keys are in ', h('code', {}, 'data/demo-keys.json'), '; ', h('code', {}, 'demo-ops'), ' can do everything this page offers, ', h('code', {}, 'demo-viewer'), ' can look but not change.'));
}

const TABS = new Set(['orders', 'inventory', 'locations', 'promise', 'profiles', 'holds', 'channels', 'quarantine']);

/** '#orders/0193…' → { tab: 'orders', arg: '0193…' } */
function parseHash() {
  const [tab = '', ...rest] = location.hash.replace(/^#/, '').split('/');
  let arg = rest.join('/');
  try {
    arg = decodeURIComponent(arg);
  } catch {
    /* leave it as typed */
  }
  return TABS.has(tab) ? { tab, arg } : { tab: 'orders', arg: '' };
}

function route() {
  showKeyState();
  const { tab, arg } = parseHash();
  for (const a of document.querySelectorAll('[data-tab]')) {
    if (a.getAttribute('data-tab') === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  // each render gets a fresh container: a slow answer for a view the user has left lands in a detached node
  const root = h('div', { class: `view view-${tab}` });
  mount(view, root);
  if (!getKey()) {
    mount(root, welcome());
    keyInput.focus();
    return;
  }
  const titles = { orders: 'Orders', inventory: 'Inventory', locations: 'Locations', promise: 'Promise', profiles: 'Routing profiles', holds: 'Hold rules', channels: 'Channels', quarantine: 'Channel quarantine' };
  document.title = `${titles[tab]} · Switchyard`;
  const run = tab === 'orders' ? (arg ? renderOrderDetail(root, arg) : renderOrderList(root))
    : tab === 'inventory' ? renderInventory(root, arg)
      : tab === 'locations' ? renderLocations(root)
      : tab === 'promise' ? renderPromise(root)
        : tab === 'quarantine' ? renderQuarantine(root)
          : tab === 'channels' ? renderChannels(root)
          : tab === 'holds' ? renderHolds(root)
            : renderProfiles(root);
  Promise.resolve(run).catch((err) => {
    mount(root, h('div', { class: 'problem', role: 'alert' }, h('p', {}, 'The page failed: ', String(err instanceof Error ? err.message : err))));
  });
}

window.addEventListener('hashchange', route);
loadChannels();
route();
