// Routing profiles in force (latest version of each), in the order they are tried.
import { loadItems } from './api.js';
import { badge, h, loading, mount, table } from './dom.js';
import { humanize } from './format.js';

const json = (v) => JSON.stringify(v, null, 2);

export async function renderProfiles(root) {
  const results = h('div', { class: 'results' }, loading('Loading profiles…'));
  mount(root, h('h1', {}, 'Routing profiles'),
    h('p', { class: 'muted' }, 'Tried by priority (lowest first); the first whose conditions match an order routes it. After them comes the built-in default, switchyard-default: lowest total cost, reserve everything available.'),
    results);
  const items = await loadItems(results, '/v1/routing/profiles', 'No profiles configured: every order is routed with the built-in default. Create one with POST /v1/routing/profiles (see the API docs).');
  if (!items) return;
  mount(results, table([
    ['Priority', (p) => String(p.priority), 'num'],
    ['Profile', (p) => [h('strong', {}, p.name), h('br'), h('code', {}, p.id), h('small', { class: 'muted' }, ` v${p.version}`)]],
    ['Active', (p) => (p.active ? badge('active', 'active') : badge('inactive', 'inactive'))],
    ['Applies when', (p) => (p.conditions ? h('code', { class: 'wrap' }, JSON.stringify(p.conditions)) : h('span', { class: 'muted' }, 'every order'))],
    ['When nothing fits', (p) => humanize(p.whenNothingFits)],
    ['Settings', (p) => h('details', {}, h('summary', {}, 'constraints, weights, penalties'),
      h('pre', {}, json({ constraints: p.constraints, weights: p.weights, penalties: p.penalties, preferences: p.preferences })))],
  ], items, { rowClass: (p) => (p.active ? null : 'muted-row') }));
}
