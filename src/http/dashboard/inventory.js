// Inventory: one SKU across locations, and the receive / adjust forms.
import { api, clearFormProblem, problemView, showFormProblem } from './api.js';
import { badge, field, h, loading, mount, table, toast } from './dom.js';
import { formatDay, formatNumber } from './format.js';

export const inventoryHref = (sku) => `#inventory/${encodeURIComponent(sku)}`;

function availabilityView(a) {
  const locs = a.locations ?? [];
  const sum = (k) => locs.reduce((n, l) => n + (l[k] ?? 0), 0);
  const n = (v) => (v === 0 ? h('span', { class: 'zero' }, '0') : formatNumber(v));
  return [
    h('div', { class: 'title-row' }, h('h2', {}, a.sku), a.kit ? badge('kit: availability of its components', 'kit') : null),
    table([
      ['Location', (l) => l.location],
      ['On hand', (l) => n(l.onHand), 'num'],
      ['Reserved', (l) => n(l.reserved), 'num'],
      ['Safety stock', (l) => n(l.safetyStock), 'num'],
      ['Available', (l) => h('strong', {}, n(l.available)), 'num'],
    ], locs, {
      rowClass: (l) => (l.available === 0 ? 'muted-row' : null),
      foot: h('tr', {}, h('th', { scope: 'row' }, 'All locations'),
        h('td', { class: 'num' }, formatNumber(a.onHand ?? sum('onHand'))),
        h('td', { class: 'num' }, formatNumber(a.reserved ?? sum('reserved'))),
        h('td', { class: 'num' }, formatNumber(sum('safetyStock'))),
        h('td', { class: 'num' }, h('strong', {}, formatNumber(a.available ?? sum('available'))))),
    }),
  ];
}

/** SKUs out of stock or running out within the warning, most urgent first (GET /v1/planning/stock-cover). */
function coverView(r) {
  const head = h('h2', {}, 'Running out');
  const basis = h('p', { class: 'muted' }, `Free stock across the network against the average demand of the last ${r.windowDays} days; back-orders take the next units. Listed: out, or under ${r.warnDays} days of cover.`);
  if (r.items.length === 0) return [head, basis, h('p', { class: 'empty' }, `Nothing runs out within ${r.warnDays} days at the current rate.`)];
  return [head, basis, table([
    ['SKU', (c) => h('a', { href: inventoryHref(c.sku) }, c.sku)],
    ['', (c) => (c.status === 'out' ? badge('out', 'unavailable') : badge('at risk', 'partial'))],
    ['Free', (c) => formatNumber(c.free), 'num'],
    ['Waiting', (c) => (c.backordered ? formatNumber(c.backordered) : ''), 'num'],
    ['Per day', (c) => String(c.dailyDemand), 'num'],
    ['Days of cover', (c) => String(c.daysOfCover), 'num'],
    ['Runs out', (c) => formatDay(c.stockOutDate)],
  ], r.items)];
}

/** A stock form: posts its fields to `path`, then shows the new availability. */
function stockForm({ title, path, sku, fields, submit, onDone }) {
  const slot = h('div', { class: 'form-problem' });
  const skuInput = h('input', { name: 'sku', value: sku ?? '', required: true, 'data-field': 'sku', spellcheck: 'false' });
  const form = h('form', { class: 'card stack', novalidate: true },
    h('h3', {}, title),
    field('SKU', skuInput),
    fields.map((f) => field(f.label, f.control, f.hint)),
    h('button', { type: 'submit' }, submit),
    slot);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormProblem(form, slot);
    const body = { sku: skuInput.value.trim() };
    for (const f of fields) {
      const v = f.read();
      if (v !== undefined) body[f.name] = v;
    }
    try {
      const a = await api('POST', path, body);
      toast(`${title}: ${a?.sku ?? body.sku} updated`);
      onDone(a);
    } catch (err) {
      showFormProblem(form, slot, err);
    }
  });
  return form;
}

const text = (name, attrs = {}) => h('input', { name, 'data-field': name, ...attrs });
const optional = (el) => () => (el.value.trim() === '' ? undefined : el.value.trim());
/** Sends what was typed when it is not a whole number, so the API names the field and says why. */
const integer = (el) => () => (/^-?\d+$/.test(el.value.trim()) ? Number(el.value.trim()) : el.value.trim());

export async function renderInventory(root, sku) {
  const skuInput = h('input', { name: 'sku', value: sku ?? '', placeholder: 'e.g. SKU-00003', required: true, spellcheck: 'false' });
  const lookup = h('form', { class: 'filters', role: 'search', 'aria-label': 'Look up a SKU' },
    h('label', {}, 'SKU ', skuInput), h('button', { type: 'submit' }, 'Look up'));
  lookup.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = skuInput.value.trim();
    if (v) location.hash = inventoryHref(v);
  });
  const result = h('div', { class: 'results' });
  const forms = h('div', { class: 'columns' });
  const locations = h('datalist', { id: 'location-codes' });
  const cover = h('section', { class: 'card stock-cover', 'aria-label': 'Running out' }, loading('Working out days of cover…'));
  mount(root, h('h1', {}, 'Inventory'), cover, lookup, result, h('h2', {}, 'Stock movements'), forms, locations);
  void api('GET', '/v1/planning/stock-cover').then((r) => mount(cover, coverView(r)), (err) => mount(cover, problemView(err)));

  const show = (a) => mount(result, availabilityView(a));
  const locationInput = () => text('location', { list: 'location-codes', required: true, spellcheck: 'false', placeholder: 'e.g. WH-NJ' });

  const rLoc = locationInput();
  const rQty = text('qty', { type: 'number', min: 1, step: 1, required: true, inputmode: 'numeric' });
  const rReason = text('reason', { placeholder: 'optional' });
  const rRef = text('reference', { placeholder: 'optional, e.g. ASN-1042' });
  const aLoc = locationInput();
  const aDelta = text('delta', { type: 'number', step: 1, required: true, inputmode: 'numeric' });
  const aReason = text('reason', { required: true, placeholder: 'e.g. damaged in storage' });
  const aRef = text('reference', { placeholder: 'optional' });
  mount(forms,
    stockForm({
      title: 'Receive', path: '/v1/inventory/receipts', sku, submit: 'Receive stock', onDone: show,
      fields: [
        { label: 'Location', name: 'location', control: rLoc, read: () => rLoc.value.trim() },
        { label: 'Quantity', name: 'qty', control: rQty, read: integer(rQty) },
        { label: 'Reason', name: 'reason', control: rReason, read: optional(rReason) },
        { label: 'Reference', name: 'reference', control: rRef, read: optional(rRef) },
      ],
    }),
    stockForm({
      title: 'Adjust', path: '/v1/inventory/adjustments', sku, submit: 'Adjust on hand', onDone: show,
      fields: [
        { label: 'Location', name: 'location', control: aLoc, read: () => aLoc.value.trim() },
        { label: 'Change (+/−)', name: 'delta', control: aDelta, read: integer(aDelta), hint: 'negative to remove units' },
        { label: 'Reason', name: 'reason', control: aReason, read: () => aReason.value.trim() },
        { label: 'Reference', name: 'reference', control: aRef, read: optional(aRef) },
      ],
    }));

  // location codes for the forms (best effort: a key without catalog access still gets the forms)
  api('GET', '/v1/locations').then((r) => mount(locations, (r?.items ?? []).map((l) => h('option', { value: l.code }, l.name)))).catch(() => {});

  if (!sku) {
    mount(result, h('p', { class: 'empty' }, 'Look up a SKU to see its stock per location.'));
    return;
  }
  mount(result, loading(`Loading ${sku}…`));
  try {
    show(await api('GET', `/v1/inventory/${encodeURIComponent(sku)}`));
  } catch (err) {
    mount(result, problemView(err));
  }
}
