// Orders: the filtered list with cursor paging, and one order with its lines, reservations, routing and timeline.
import { api, ApiError, problemView, query } from './api.js';
import { badge, facts, h, loading, mount, table, toast } from './dom.js';
import { formatDay, formatInstant, formatMoney, formatMoneyDelta, formatNumber, humanize } from './format.js';

/** The order life cycle (src/domain/order-state). */
const STATUSES = ['allocated', 'partially_allocated', 'backordered', 'preordered', 'on_hold', 'released', 'partially_shipped', 'shipped', 'delivered', 'cancelled'];
const HOLDABLE = new Set(['allocated', 'partially_allocated', 'backordered', 'preordered', 'released', 'partially_shipped']);
/** allocated and not released: its stock may still move to a better plan */
const REOPTIMISABLE = new Set(['allocated', 'partially_allocated']);
const CANCELLABLE = new Set(['allocated', 'partially_allocated', 'backordered', 'preordered', 'on_hold', 'released']);
const PAGE_SIZE = 25;

/** Kept while the tab is open, so coming back from an order shows the same page. */
const state = { filters: { status: '', channel: '', q: '' }, cursor: null, previous: [] };

export const orderHref = (id) => `#orders/${encodeURIComponent(id)}`;

function statusBadge(o) {
  return h('span', {}, badge(humanize(o.status), o.status), o.status === 'on_hold' && o.heldFrom ? h('small', { class: 'muted' }, ` from ${humanize(o.heldFrom)}`) : null);
}

function customerLabel(o) {
  const c = o.customer ?? {};
  return c.name || c.email || o.shippingAddress?.name || '—';
}

function addressLine(a) {
  if (!a) return '—';
  return [a.name, a.company, a.line1, a.line2, a.city, a.region, a.postcode, a.country].filter(Boolean).join(', ');
}

function units(o) {
  return (o.lines ?? []).reduce((n, l) => n + (l.quantities?.ordered ?? 0), 0);
}

// ---------------------------------------------------------------- list

export async function renderOrderList(root) {
  const f = state.filters;
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any status'), STATUSES.map((s) => h('option', { value: s, selected: s === f.status }, humanize(s))));
  const channel = h('input', { name: 'channel', value: f.channel, placeholder: 'e.g. web', list: 'channel-codes', size: 12 });
  const q = h('input', { name: 'q', type: 'search', value: f.q, placeholder: 'external id, name, e-mail', size: 28 });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter orders' },
    h('label', {}, 'Status ', status), h('label', {}, 'Channel ', channel), h('label', {}, 'Search ', q),
    h('button', { type: 'submit' }, 'Apply'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { state.filters = { status: '', channel: '', q: '' }; state.cursor = null; state.previous = []; renderOrderList(root); } }, 'Clear'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filters = { status: status.value, channel: channel.value.trim(), q: q.value.trim() };
    state.cursor = null;
    state.previous = [];
    renderOrderList(root);
  });
  const results = h('div', { class: 'results' }, loading('Loading orders…'));
  mount(root, h('h1', {}, 'Orders'), form, results);

  let page;
  try {
    page = await api('GET', `/v1/orders${query({ ...state.filters, limit: PAGE_SIZE, cursor: state.cursor })}`);
  } catch (err) {
    mount(results, problemView(err));
    return;
  }
  const items = page.items ?? [];
  const pageNo = state.previous.length + 1;
  const nav = h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'secondary', disabled: state.previous.length === 0, onclick: () => { state.cursor = state.previous.pop() ?? null; renderOrderList(root); } }, '← Previous page'),
    h('span', { class: 'muted' }, `Page ${pageNo} · ${items.length} order${items.length === 1 ? '' : 's'}`),
    h('button', { type: 'button', disabled: !page.nextCursor, onclick: () => { state.previous.push(state.cursor); state.cursor = page.nextCursor; renderOrderList(root); } }, 'Next page →'));
  if (items.length === 0) {
    mount(results, h('p', { class: 'empty' }, pageNo === 1 ? 'No orders match these filters.' : 'No more orders.'), nav);
    return;
  }
  mount(results,
    table([
      ['Created', (o) => formatInstant(o.createdAt)],
      ['Order', (o) => h('a', { href: orderHref(o.id) }, o.externalId)],
      ['Channel', (o) => o.channel],
      ['Status', statusBadge],
      ['Customer', customerLabel],
      ['Ship to', (o) => [o.shippingAddress?.city, o.shippingAddress?.country].filter(Boolean).join(', ') || '—'],
      ['Units', (o) => formatNumber(units(o)), 'num'],
      ['Total', (o) => formatMoney(o.totals?.totalMinor, o.currency), 'num'],
    ], items, { onRowClick: (o) => { location.hash = orderHref(o.id); }, caption: 'Newest first; click an order for its detail.' }),
    nav);
}

// ---------------------------------------------------------------- detail

export async function renderOrderDetail(root, id) {
  mount(root, h('p', {}, h('a', { href: '#orders' }, '← Orders')), loading('Loading order…'));
  const [orderRes, routingRes] = await Promise.allSettled([
    api('GET', `/v1/orders/${encodeURIComponent(id)}`),
    api('GET', `/v1/orders/${encodeURIComponent(id)}/routing`),
  ]);
  if (orderRes.status === 'rejected') {
    mount(root, h('p', {}, h('a', { href: '#orders' }, '← Orders')), h('h1', {}, 'Order'), problemView(orderRes.reason));
    return;
  }
  const o = orderRes.value;
  const actionSlot = h('div', { class: 'action-result' });

  const act = (label, pathOf, prompt, extra = {}) => async () => {
    const reason = window.prompt(prompt);
    if (reason === null) return;
    if (!reason.trim()) {
      mount(actionSlot, problemView(new ApiError(0, { code: 'reason_required', detail: `${label} needs a reason.`, field: 'reason' })));
      return;
    }
    try {
      await api('POST', pathOf(encodeURIComponent(o.id)), { ...extra, reason: reason.trim() });
      toast(`${label}: done`);
      await renderOrderDetail(root, id);
    } catch (err) {
      mount(actionSlot, problemView(err));
    }
  };

  async function reoptimise() {
    try {
      const r = await api('POST', `/v1/orders/${encodeURIComponent(o.id)}/reoptimise`, {});
      toast(r.changed ? `Re-optimised: ${r.reason}` : `Kept: ${r.reason}`);
      if (r.changed) await renderOrderDetail(root, id);
    } catch (err) {
      mount(actionSlot, problemView(err));
    }
  }

  /** Ops override: ship the whole order from one location (it must take every unit reserved now). */
  async function assign() {
    const location = window.prompt('Ship the whole order from which location? (location code, e.g. WH-NJ)');
    if (location === null || !location.trim()) return;
    const reason = window.prompt(`Why ship from ${location.trim()}?`);
    if (reason === null) return;
    if (!reason.trim()) {
      mount(actionSlot, problemView(new ApiError(0, { code: 'reason_required', detail: 'Shipping from a chosen location needs a reason.', field: 'reason' })));
      return;
    }
    try {
      const r = await api('POST', `/v1/orders/${encodeURIComponent(o.id)}/assign`, { location: location.trim(), reason: reason.trim() });
      toast(r.changed ? r.reason : `Kept: ${r.reason}`);
      if (r.changed) await renderOrderDetail(root, id);
    } catch (err) {
      mount(actionSlot, problemView(err));
    }
  }

  const actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Order actions' },
    h('button', { type: 'button', disabled: !HOLDABLE.has(o.status), onclick: act('Hold', (id) => `/v1/orders/${id}/hold`, 'Reason for placing the order on hold:') }, 'Hold'),
    h('button', { type: 'button', disabled: o.status !== 'on_hold', onclick: act('Release hold', (id) => `/v1/orders/${id}/release-hold`, 'Reason for releasing the hold:') }, 'Release hold'),
    h('button', { type: 'button', disabled: !REOPTIMISABLE.has(o.status), title: 'Route the order again now; the new plan is taken only with fewer shipments or a lower cost', onclick: reoptimise }, 'Re-optimise'),
    h('button', { type: 'button', disabled: !REOPTIMISABLE.has(o.status), title: 'Ops override: ship the whole order from one location you choose', onclick: assign }, 'Ship from…'),
    h('button', { type: 'button', class: 'danger', disabled: !CANCELLABLE.has(o.status), onclick: act('Cancel', (id) => `/v1/orders/${id}/cancel`, 'Cancel the whole order. Reason:') }, 'Cancel order'));

  const firstActiveAt = new Map();
  for (const r of o.reservations ?? []) if (r.status === 'active' && !firstActiveAt.has(r.location)) firstActiveAt.set(r.location, r);
  const t = o.totals ?? {};
  const lineSku = new Map();
  for (const l of o.lines ?? []) {
    lineSku.set(l.id, l.sku);
    for (const c of l.components ?? []) lineSku.set(c.id, c.sku);
  }

  mount(root,
    h('p', {}, h('a', { href: '#orders' }, '← Orders')),
    h('div', { class: 'title-row' }, h('h1', {}, `Order ${o.externalId}`), statusBadge(o)),
    actions,
    actionSlot,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'o-summary' }, h('h2', { id: 'o-summary' }, 'Summary'), facts([
        ['Order id', h('code', {}, o.id)],
        ['Channel', o.channel],
        ['External id', o.externalId],
        ['Service level', humanize(o.serviceLevel)],
        ['Requested delivery', o.requestedDeliveryDate ? formatDay(o.requestedDeliveryDate) : '—'],
        ['Ship by', o.promise ? formatDay(o.promise.shipBy) : '—'],
        ['Promised delivery', o.promise
          ? (o.promise.window.latest !== o.promise.window.earliest
            ? `${formatDay(o.promise.window.earliest)} – ${formatDay(o.promise.window.latest)}`
            : formatDay(o.promise.deliveryDate))
          : '—'],
        ['Customer', [o.customer?.name, o.customer?.email].filter(Boolean).join(' · ') || '—'],
        ['Ship to', addressLine(o.shippingAddress)],
        ['Tags', o.tags?.length ? o.tags.join(', ') : '—'],
        ['Placed', o.placedAt ? formatInstant(o.placedAt) : '—'],
        ['Created', formatInstant(o.createdAt)],
        ['Updated', formatInstant(o.updatedAt)],
      ])),
      h('section', { 'aria-labelledby': 'o-totals' }, h('h2', { id: 'o-totals' }, 'Totals'), facts([
        ['Subtotal', formatMoney(t.subtotalMinor, o.currency)],
        ['Discount', formatMoney(t.discountMinor, o.currency)],
        ['Tax', formatMoney(t.taxMinor, o.currency)],
        ['Shipping', formatMoney(t.shippingMinor, o.currency)],
        ['Total', h('strong', {}, formatMoney(t.totalMinor, o.currency))],
      ]))),
    h('section', { 'aria-labelledby': 'o-lines' }, h('h2', { id: 'o-lines' }, 'Lines'), linesTable(o)),
    h('section', { 'aria-labelledby': 'o-res' }, h('h2', { id: 'o-res' }, 'Reservations'),
      (o.reservations ?? []).length === 0
        ? h('p', { class: 'empty' }, 'No stock reserved.')
        : table([
          ['SKU', (r) => r.sku],
          ['Location', (r) => r.location],
          ['Qty', (r) => formatNumber(r.qty), 'num'],
          ['Status', (r) => badge(humanize(r.status), r.status)],
          // a location that cannot ship (out of stock on the shelf, closed, over capacity) hands its units back: the
          // order is routed again without it, explained like the first decision
          ['', (r) => (r.status === 'active' && firstActiveAt.get(r.location) === r
            ? h('button', { type: 'button', class: 'secondary small', onclick: act(`Rejected at ${r.location}`, (id) => `/v1/orders/${id}/reroute`, `Why can ${r.location} not ship this order? Its units are routed again elsewhere. Reason:`, { location: r.location }) }, `${r.location} rejects`)
            : null)],
        ], o.reservations)),
    h('section', { 'aria-labelledby': 'o-routing' }, h('h2', { id: 'o-routing' }, 'Routing decision'),
      routingRes.status === 'rejected' ? problemView(routingRes.reason) : routingView(routingRes.value, o.currency, lineSku)),
    h('section', { 'aria-labelledby': 'o-timeline' }, h('h2', { id: 'o-timeline' }, 'Timeline'), timelineView(o.timeline ?? [])),
  );
}

const QTY_COLUMNS = ['ordered', 'reserved', 'backordered', 'preordered', 'released', 'shipped', 'cancelled', 'returned'];

function linesTable(o) {
  const rows = [];
  for (const l of o.lines ?? []) {
    rows.push({ ...l, child: false });
    for (const c of l.components ?? []) rows.push({ ...c, child: true });
  }
  return table([
    ['#', (l) => (l.child ? '' : String(l.lineNo))],
    ['SKU', (l) => (l.child ? h('span', { class: 'indent' }, `↳ ${l.sku} (${l.perKit} per kit)`) : [l.sku, l.kit ? ' ' : null, l.kit ? badge('kit', 'kit') : null])],
    ['Unit price', (l) => (l.child ? '' : formatMoney(l.unitPriceMinor, o.currency)), 'num'],
    ...QTY_COLUMNS.map((k) => [humanize(k), (l) => {
      const v = l.quantities?.[k] ?? 0;
      return v === 0 ? h('span', { class: 'zero' }, '0') : formatNumber(v);
    }, 'num']),
  ], rows, { rowClass: (l) => (l.child ? 'child' : null) });
}

// ---------------------------------------------------------------- routing

function costBreakdown(components, currency) {
  if (!components) return null;
  const parts = Object.entries(components).filter(([, v]) => v).map(([k, v]) => `${humanize(k)} ${formatMoney(v, currency)}`);
  return parts.length ? h('small', { class: 'muted breakdown' }, parts.join(' · ')) : null;
}

function candidateResult(c, currency) {
  if (c.excluded) return [badge(`excluded: ${humanize(c.excluded.rule)}`, 'excluded'), c.excluded.detail ? h('small', { class: 'muted breakdown' }, c.excluded.detail) : null];
  const s = c.score;
  if (!s) return h('span', { class: 'muted' }, 'not scored');
  if (s.costMinor === null || s.costMinor === undefined) return h('span', { class: 'muted' }, 'no carrier quote');
  return [
    h('span', {}, formatMoney(s.costMinor, currency)),
    s.basis === 'single_location' ? h('small', { class: 'muted' }, ' alone') : null,
    costBreakdown(s.components, currency),
    (s.ineligibleLines ?? []).length ? h('small', { class: 'muted breakdown' }, `${s.ineligibleLines.length} line(s) ineligible: ${s.ineligibleLines.map((x) => humanize(x.rule)).join(', ')}`) : null,
  ];
}

function candidateOrder(c) {
  if (c.chosen) return -1;
  if (c.excluded) return Number.MAX_SAFE_INTEGER;
  return c.score?.costMinor ?? Number.MAX_SAFE_INTEGER - 1;
}

function routingView(routing, currency, lineSku) {
  const decisions = routing?.decisions ?? [];
  if (decisions.length === 0) return h('p', { class: 'empty' }, 'No routing decision recorded for this order.');
  // newest first: a re-route supersedes the decision before it
  return [...decisions].reverse().map((d, i) => h('article', { class: 'decision' },
    h('h3', {}, i === 0 ? 'Current' : 'Earlier', d.reroute ? ' re-route' : d.reoptimisation ? ' re-optimised plan' : d.assignment ? ' assignment' : ' decision', h('small', { class: 'muted' }, ` · ${formatInstant(d.at)} · `), badge(humanize(d.outcome), d.outcome)),
    d.explanation ? h('p', { class: 'explanation' }, d.explanation) : null,
    facts([
      ['Profile', d.profile ? (d.profile.name ? `${d.profile.name} (${d.profile.id} v${d.profile.version})` : `${d.profile.id} v${d.profile.version}`) : '—'],
      ['Search', d.method ? humanize(d.method) : '—'],
      ['Units allocated', d.units ? `${formatNumber(d.units.allocated)} of ${formatNumber(d.units.requested)}` : '—'],
      ['Total cost', [formatMoney(d.totalCostMinor, currency), costBreakdown(d.costComponents, currency)]],
      d.reroute ? ['Re-route', `${d.reroute.rejectedUnits} unit(s) rejected${d.rejection?.rejectedLocation ? ` by ${d.rejection.rejectedLocation}` : ''}${d.rejection?.reason ? ` (${d.rejection.reason})` : ''}, ${d.reroute.keptShipments} shipment(s) kept`] : ['', undefined],
      d.reoptimisation ? ['Re-optimised', d.reoptimisation.reason ?? 'a better plan'] : ['', undefined],
      d.assignment ? ['Assigned by ops', d.assignment.reason ?? `to ${d.assignment.assigned}`] : ['', undefined],
      (d.profileTrail ?? []).length ? ['Profiles tried first', d.profileTrail.map((p) => `${p.id} v${p.version}: ${p.result}`).join('; ')] : ['', undefined],
    ]),
    (d.shipments ?? []).length
      ? table([
        ['Ships from', (s) => h('strong', {}, s.code)],
        ['Lines', (s) => (s.lines ?? []).map((l) => `${lineSku.get(l.lineId) ?? l.skuId} × ${l.qty}`).join(', ')],
        ['Service', (s) => s.quote?.serviceCode ?? '—'],
        ['Ship by', (s) => formatDay(s.quote?.shipBy)],
        ['Delivery', (s) => [formatDay(s.quote?.deliveryDate), s.quote?.lateDays ? h('small', { class: 'warn' }, ` ${s.quote.lateDays} day(s) late`) : null]],
        ['Cost', (s) => [formatMoney(s.costMinor, currency), costBreakdown(s.components, currency)], 'num'],
      ], d.shipments, { caption: 'Shipments' })
      : null,
    (d.unallocated ?? []).length
      ? h('div', { class: 'unallocated' }, h('h4', {}, 'Not allocated'), h('ul', {}, d.unallocated.map((u) => h('li', {},
        h('strong', {}, `${lineSku.get(u.lineId) ?? u.skuId} × ${u.qty}`), ' — ', h('code', {}, u.reason), u.detail ? `: ${u.detail}` : ''))))
      : null,
    (d.candidates ?? []).length
      ? table([
        ['Location', (c) => [c.code, c.chosen ? ' ' : null, c.chosen ? badge('chosen', 'chosen') : null]],
        ['Exclusion rule or cost', (c) => candidateResult(c, currency)],
        ['Lines / units', (c) => (c.score ? `${c.score.lines} / ${c.score.units}` : '—'), 'num'],
        ['Service', (c) => c.score?.serviceCode ?? '—'],
        ['Transit days', (c) => (c.score?.transitDays ?? '—'), 'num'],
        ['Late days', (c) => (c.score?.lateDays ?? '—'), 'num'],
        ['vs chosen', (c) => (c.score?.vsChosenMinor !== undefined ? formatMoneyDelta(c.score.vsChosenMinor, currency) : ''), 'num'],
      ], [...d.candidates].sort((a, b) => candidateOrder(a) - candidateOrder(b) || String(a.code).localeCompare(String(b.code))), {
        caption: 'Candidates: each location with the rule that excluded it, or its cost',
        rowClass: (c) => (c.chosen ? 'chosen' : c.excluded ? 'excluded' : null),
      })
      : null,
    d.tieBreak ? h('p', { class: 'tiebreak muted' }, h('strong', {}, 'Ties: '), d.tieBreak) : null,
  ));
}

// ---------------------------------------------------------------- timeline

function timelineView(events) {
  if (events.length === 0) return h('p', { class: 'empty' }, 'No events.');
  return h('ol', { class: 'timeline' }, events.map((e) => {
    const hasData = e.data && typeof e.data === 'object' && Object.keys(e.data).length > 0;
    return h('li', {},
      h('time', { datetime: e.at }, formatInstant(e.at)), ' ',
      h('code', { class: 'event-type' }, e.type),
      e.fromStatus || e.toStatus ? h('span', { class: 'transition' }, ` ${humanize(e.fromStatus ?? '—')} → ${humanize(e.toStatus ?? '—')}`) : null,
      h('span', { class: 'muted' }, ` by ${e.actor}`),
      e.reason ? h('p', { class: 'reason' }, `Reason: ${e.reason}`) : null,
      hasData ? h('details', {}, h('summary', {}, 'data'), h('pre', {}, JSON.stringify(e.data, null, 2))) : null,
    );
  }));
}
