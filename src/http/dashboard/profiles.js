// Routing profiles in force (latest version of each), in the order they are tried, and a draft to try on recent
// orders (POST /v1/routing/simulate) before saving it as the next version.
import { api, ApiError, clearFormProblem, loadItems, problemView, showFormProblem } from './api.js';
import { badge, changeList, facts, field, h, loading, mount, table, toast } from './dom.js';
import { reactPartsWithChannels } from './react-parts.js';
import { formatInstant, formatMoney, formatMoneyDelta, formatNumber, humanize } from './format.js';

const json = (v) => JSON.stringify(v, null, 2);

/** The draft being tried, kept while the user moves between tabs. */
let draftText = json({ id: 'no-stores', name: 'Warehouses and 3PLs only', priority: 50, constraints: { excludedLocationTypes: ['store'] } });

/** What an author edits of a profile: everything but its version. */
const draftOf = (p) => ({
  id: p.id, name: p.name, priority: p.priority, active: p.active, conditions: p.conditions, constraints: p.constraints,
  weights: p.weights, penalties: p.penalties, preferences: p.preferences, whenNothingFits: p.whenNothingFits, search: p.search ?? 'balanced',
});

export async function renderProfiles(root) {
  const results = h('div', { class: 'results' }, loading('Loading profiles…'));
  const stats = h('section', { class: 'card routing-stats', 'aria-label': 'Routing in the last 24 hours' }, loading('Loading the last 24 hours…'));
  const editor = draftEditor(() => renderProfiles(root));
  const history = h('section', { class: 'profile-history', 'aria-label': 'Profile history' });
  mount(root, h('h1', {}, 'Routing profiles'),
    stats,
    reoptimiseCard(),
    h('p', { class: 'muted' }, 'Tried by priority (lowest first); the first whose conditions match an order routes it. After them comes the built-in default, switchyard-default: lowest total cost, reserve everything available.'),
    results, history, editor.card);
  void api('GET', '/v1/routing/stats').then((s) => mount(stats, statsView(s)), (err) => mount(stats, problemView(err)));
  const items = await loadItems(results, '/v1/routing/profiles', 'No profiles configured: every order is routed with the built-in default. Create one below or with POST /v1/routing/profiles (see the API docs).');
  if (!items) return;
  mount(results, table([
    ['Priority', (p) => String(p.priority), 'num'],
    ['Profile', (p) => [h('strong', {}, p.name), h('br'), h('code', {}, p.id), h('small', { class: 'muted' }, ` v${p.version}`)]],
    ['Active', (p) => (p.active ? badge('active', 'active') : badge('inactive', 'inactive'))],
    ['Applies when', (p) => (p.conditions ? h('code', { class: 'wrap' }, JSON.stringify(p.conditions)) : h('span', { class: 'muted' }, 'every order'))],
    ['When nothing fits', (p) => humanize(p.whenNothingFits)],
    ['Search', (p) => humanize(p.search ?? 'balanced')],
    ['Settings', (p) => h('details', {}, h('summary', {}, 'constraints, weights, penalties'),
      h('pre', {}, json({ constraints: p.constraints, weights: p.weights, penalties: p.penalties, preferences: p.preferences })))],
    ['', (p) => h('div', { class: 'row' },
      h('button', { type: 'button', class: 'secondary small', onclick: () => editor.edit(draftOf(p)) }, 'Try a change'),
      h('button', { type: 'button', class: 'secondary small', onclick: () => void showHistory(history, p.id, editor, () => renderProfiles(root)) }, 'History'))],
  ], items, { rowClass: (p) => (p.active ? null : 'muted-row') }));
}

/**
 * A profile draft, edited as a form (conditions in a query builder) or as JSON (both show the same draft), tried
 * on recent orders (the profiles in force against the same with this draft in force too: nothing is saved or
 * reserved), then saved as the profile's next version when it does what was meant.
 */
function draftEditor(reload) {
  const text = h('textarea', { name: 'profile', rows: 12, spellcheck: 'false', 'data-field': 'profile', class: 'code', 'aria-label': 'Profile draft (JSON)' }, draftText);
  const limit = h('input', { name: 'limit', type: 'number', min: 1, max: 5000, step: 1, value: 200, size: 6, 'data-field': 'orders/limit' });
  const slot = h('div', { class: 'form-problem' });
  const result = h('div', { class: 'results simulation' });
  const visual = h('div', { class: 'visual-editor', 'aria-label': 'Profile draft (form)' });
  let form;
  /** the mounted form, once loaded */
  let mounted = null;
  const read = () => {
    draftText = text.value;
    try {
      return JSON.parse(text.value);
    } catch (e) {
      throw new ApiError(0, { code: 'invalid_json', detail: `The draft is not valid JSON: ${e instanceof Error ? e.message : e}`, field: 'profile' });
    }
  };
  const parsedOrNull = () => {
    try {
      return JSON.parse(text.value);
    } catch {
      return null;
    }
  };
  // the form follows the JSON when it is edited by hand (once it parses)
  let typing = 0;
  text.addEventListener('input', () => {
    draftText = text.value;
    clearTimeout(typing);
    typing = setTimeout(() => {
      const d = parsedOrNull();
      if (d !== null && mounted) mounted.set(d);
    }, 250);
  });
  void reactPartsWithChannels().then(([m, channels]) => {
    if (!m) {
      mount(visual, h('p', { class: 'muted' }, 'The form editor is not built (npm run build:web): edit the draft as JSON.'));
      return;
    }
    mounted = m.mountProfileEditor(visual, {
      draft: parsedOrNull() ?? {},
      channels,
      onChange: (d) => {
        text.value = draftText = json(d);
        clearFormProblem(form, slot);
      },
    });
  });
  form = h('form', { class: 'card stack draft-form', novalidate: true },
    h('h2', {}, 'Try a change before saving it'),
    h('p', { class: 'muted' }, 'Recent orders are routed twice against today\'s network, stock and capacity: with the profiles in force, and with this draft in force as well (it replaces the profile of the same id; "active": false takes that profile out). Nothing is saved or reserved.'),
    visual,
    field('Profile draft (JSON)', text, 'the same draft as the form: id, name, priority, conditions (JsonLogic), constraints, weights, penalties, preferences, whenNothingFits, search (fast | balanced | optimal)'),
    h('div', { class: 'row' }, field('Recent orders', limit),
      h('button', { type: 'submit' }, 'Simulate on recent orders'),
      h('button', { type: 'button', class: 'secondary', onclick: () => save() }, 'Save as next version')),
    slot);
  const run = async () => {
    clearFormProblem(form, slot);
    mount(result, loading('Routing recent orders twice…'));
    try {
      const body = { profile: read(), orders: { limit: /^\d+$/.test(limit.value.trim()) ? Number(limit.value.trim()) : limit.value.trim() } };
      mount(result, simulationView(await api('POST', '/v1/routing/simulate', body)));
    } catch (err) {
      result.replaceChildren();
      showFormProblem(form, slot, err);
    }
  };
  const save = async () => {
    clearFormProblem(form, slot);
    try {
      const saved = await api('POST', '/v1/routing/profiles', read());
      toast(`Saved ${saved.id} as version ${saved.version}`);
      reload();
    } catch (err) {
      // saving posts the draft itself, simulating posts it as `profile`: one path for the form's fields
      if (err instanceof ApiError && err.field && err.field !== 'profile' && !err.field.startsWith('profile/')) err.field = `profile/${err.field}`;
      showFormProblem(form, slot, err);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  return {
    card: h('section', {}, form, result),
    edit(draft) {
      text.value = draftText = json(draft);
      mounted?.set(draft);
      result.replaceChildren();
      clearFormProblem(form, slot);
      form.scrollIntoView({ block: 'start' });
    },
  };
}


/**
 * Every version of a profile (GET /v1/routing/profiles/{id}): who saved it, when, what it changed. An earlier
 * version can be tried in the draft editor (simulated before anything is saved) or restored at once as the
 * next version (POST …/restore).
 */
async function showHistory(slot, id, editor, reload) {
  mount(slot, h('div', { class: 'card' }, loading(`Loading the history of ${id}…`)));
  let versions;
  try {
    versions = (await api('GET', `/v1/routing/profiles/${encodeURIComponent(id)}`)).items;
  } catch (err) {
    mount(slot, h('div', { class: 'card' }, problemView(err)));
    return;
  }
  const latest = versions[0]?.version;
  const restore = async (v) => {
    if (!confirm(`Save version ${v.version} of ${id} again as version ${latest + 1}? It is in force at once.`)) return;
    try {
      const r = await api('POST', `/v1/routing/profiles/${encodeURIComponent(id)}/restore`, { version: v.version });
      toast(`Restored ${id} v${r.restoredFrom} as version ${r.version}`);
      reload();
    } catch (err) {
      mount(slot, h('div', { class: 'card' }, problemView(err)));
    }
  };
  mount(slot, h('div', { class: 'card stack' },
    h('div', { class: 'row' }, h('h2', {}, `History of ${id}`), h('button', { type: 'button', class: 'secondary small', onclick: () => slot.replaceChildren() }, 'Close')),
    table([
      ['Version', (v) => [h('strong', {}, `v${v.version}`), v.version === latest ? [' ', badge('in force', 'active')] : '', v.restoredFrom ? h('small', { class: 'muted' }, ` restores v${v.restoredFrom}`) : '']],
      ['Saved', (v) => [formatInstant(v.createdAt), h('br'), h('small', { class: 'muted' }, v.createdBy)]],
      ['What changed', (v) => (v.changes === null
        ? h('span', { class: 'muted' }, 'created')
        : v.changes.length === 0
          ? h('span', { class: 'muted' }, 'nothing (saved again unchanged)')
          : changeList(v.changes.map((c) => [c.path, c.from, c.to])))],
      ['', (v) => h('div', { class: 'row' },
        h('button', { type: 'button', class: 'secondary small', onclick: () => editor.edit(draftOf(v.profile)) }, 'Try this version'),
        v.version === latest ? '' : h('button', { type: 'button', class: 'small', onclick: () => void restore(v) }, `Restore v${v.version}`))],
    ], versions)));
  slot.scrollIntoView({ block: 'start' });
}

/** The two runs side by side, then the orders whose plan changes. */
function simulationView(s) {
  const a = s.current;
  const b = s.proposed;
  const n = (x) => formatNumber(x);
  const delta = (x, y) => (y === x ? '' : `${y > x ? '+' : '−'}${formatNumber(Math.abs(y - x))}`);
  const rows = [
    ['Orders replayed', a.orders, b.orders],
    ['Routed in full', a.outcomes.routed, b.outcomes.routed],
    ['Partly allocated', a.outcomes.partial, b.outcomes.partial],
    ['Back-ordered', a.outcomes.backorder, b.outcomes.backorder],
    ['Held', a.outcomes.hold, b.outcomes.hold],
    ['Shipments', a.shipments, b.shipments],
    ['Split orders', a.splitOrders, b.splitOrders],
    ['Late shipments', a.lateShipments, b.lateShipments],
    ['Units allocated', a.unitsAllocated, b.unitsAllocated],
  ].map(([label, x, y]) => ({ label, current: n(x), proposed: n(y), change: delta(x, y) }));
  for (const cur of new Set([...Object.keys(a.cost), ...Object.keys(b.cost)])) {
    const x = a.cost[cur]?.total ?? 0;
    const y = b.cost[cur]?.total ?? 0;
    rows.push({ label: `Total cost (${cur})`, current: formatMoney(x, cur), proposed: formatMoney(y, cur), change: y === x ? '' : formatMoneyDelta(y - x, cur) });
  }
  const deciders = (t) => Object.entries(t.profiles).map(([id, k]) => `${id} × ${k}`).join(', ') || '—';
  rows.push({ label: 'Decided by', current: deciders(a), proposed: deciders(b), change: '' });
  const summary = table([
    ['', (r) => r.label],
    ['Profiles in force', (r) => r.current, 'num'],
    [`With ${s.profile.id} v${s.profile.version}`, (r) => r.proposed, 'num'],
    ['Change', (r) => r.change, 'num'],
  ], rows, { caption: `${formatNumber(s.basis.orders)} recent orders, routed as of now` });
  const changed = s.changed.listed.length === 0
    ? h('p', { class: 'empty' }, 'No order\'s plan changes.')
    : table([
      ['Order', (c) => [h('a', { href: `#orders/${c.orderId}` }, c.externalId), h('small', { class: 'muted' }, ` ${c.channel}`)]],
      ['In force', (c) => plan(c.current)],
      ['With the draft', (c) => plan(c.proposed)],
      ['Cost change', (c) => formatMoneyDelta(c.proposed.costMinor - c.current.costMinor, c.current.currency), 'num'],
    ], s.changed.listed, { caption: `Orders whose plan changes: ${formatNumber(s.changed.orders)}${s.changed.orders > s.changed.listed.length ? ` (first ${s.changed.listed.length} shown)` : ''}` });
  return h('div', { class: 'stack' }, summary, changed);
}

function plan(o) {
  return [badge(humanize(o.outcome), o.outcome), ' ', o.locations.join(' + ') || '—', h('small', { class: 'muted' }, ` · ${formatMoney(o.costMinor, o.currency)} · ${o.profile}`)];
}

/** How the last 24 hours' orders were routed (GET /v1/routing/stats). */
function statsView(s) {
  if (s.decisions === 0) return [h('h2', {}, 'Last 24 hours'), h('p', { class: 'empty' }, 'No order routed in the last 24 hours.')];
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  const top = (list, label) => list.slice(0, 4).map((x) => `${label(x)}`).join(', ') || '—';
  return [
    h('h2', {}, 'Last 24 hours'),
    facts([
      ['Orders routed', formatNumber(s.decisions)],
      ['Routed in full', formatNumber(s.outcomes.routed)],
      ['Partly / back-ordered / held', `${formatNumber(s.outcomes.partial)} / ${formatNumber(s.outcomes.backorder)} / ${formatNumber(s.outcomes.hold)}`],
      ['Split orders', pct(s.splitRate)],
      ['Late shipments', formatNumber(s.lateShipments)],
      ['Routing cost per order', Object.entries(s.cost).map(([cur, c]) => formatMoney(c.perOrderMinor, cur)).join(' · ') || '—'],
      ['Busiest locations', top(s.locations, (l) => `${l.code} ${formatNumber(l.shipments)}`)],
      ['Candidates excluded most for', top(s.exclusions, (e) => `${humanize(e.rule)} ${formatNumber(e.candidates)}`)],
    ]),
  ];
}

/** A look again at split orders not yet released (POST /v1/routing/reoptimise): preview first, then move. */
function reoptimiseCard() {
  const result = h('div', { class: 'results reoptimise-result' });
  const run = (dryRun) => async () => {
    mount(result, loading(dryRun ? 'Routing split orders again (preview)…' : 'Re-optimising split orders…'));
    try {
      const r = await api('POST', '/v1/routing/reoptimise', { dryRun });
      if (!dryRun && r.changed > 0) toast(`Re-optimised ${r.changed} order(s)`);
      mount(result, reoptimiseView(r));
    } catch (err) {
      mount(result, problemView(err));
    }
  };
  return h('section', { class: 'card stack reoptimise' },
    h('h2', {}, 'Split orders, looked at again'),
    h('p', { class: 'muted' }, 'Orders allocated to more than one location and not yet released are routed again against today\'s stock; a plan is taken only with fewer shipments (no fewer units) or a lower cost.'),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'secondary', onclick: run(true) }, 'Preview'),
      h('button', { type: 'button', onclick: run(false) }, 'Re-optimise now')),
    result);
}

function reoptimiseView(r) {
  const head = h('p', {}, `${formatNumber(r.examined)} split order(s) looked at; ${formatNumber(r.changed)} ${r.dryRun ? 'would move' : 'moved'}: shipments ${formatNumber(r.shipments.before)} → ${formatNumber(r.shipments.after)}.`);
  if (r.orders.length === 0) return head;
  return [head, table([
    ['Order', (o) => h('a', { href: `#orders/${o.orderId}` }, o.externalId)],
    ['From', (o) => o.before.locations.join(' + ')],
    ['To', (o) => o.after.locations.join(' + ')],
    ['Why', (o) => o.reason],
  ], r.orders)];
}
