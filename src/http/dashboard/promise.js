// Promise: what a storefront would show — per service level the delivery date and the shipping price.
import { api, clearFormProblem, showFormProblem } from './api.js';
import { badge, field, h, mount, table } from './dom.js';
import { formatDay, formatInstant, formatMoney, humanize } from './format.js';

/** The last request, so the form keeps its values when the user comes back to the tab. */
let last = { channel: 'web', country: 'US', postcode: '02110', currency: '', lines: [{ sku: 'SKU-00003', quantity: '1' }] };

function lineRow(lines, index, line, onRemove) {
  const sku = h('input', { name: 'sku', value: line.sku, required: true, spellcheck: 'false', 'data-field': `lines/${index}/sku`, 'aria-label': `Line ${index + 1} SKU`, placeholder: 'SKU' });
  const qty = h('input', { name: 'quantity', type: 'number', min: 1, step: 1, value: line.quantity, required: true, 'data-field': `lines/${index}/quantity`, 'aria-label': `Line ${index + 1} quantity`, class: 'qty' });
  return h('li', { class: 'line-row' }, sku, h('span', { 'aria-hidden': 'true' }, ' × '), qty,
    lines.length > 1 ? h('button', { type: 'button', class: 'secondary small', onclick: onRemove, 'aria-label': `Remove line ${index + 1}` }, 'Remove') : null);
}

export function renderPromise(root) {
  const channel = h('input', { name: 'channel', value: last.channel, required: true, list: 'channel-codes', 'data-field': 'channel', spellcheck: 'false' });
  const country = h('input', { name: 'country', value: last.country, required: true, maxlength: 2, size: 4, pattern: '[A-Z]{2}', 'data-field': 'destination/country', class: 'upper' });
  const postcode = h('input', { name: 'postcode', value: last.postcode, size: 10, 'data-field': 'destination/postcode' });
  const currency = h('input', { name: 'currency', value: last.currency, maxlength: 3, size: 5, placeholder: 'USD', 'data-field': 'currency', class: 'upper' });
  const linesList = h('ol', { class: 'lines' });
  let lines = last.lines.map((l) => ({ ...l }));

  const readLines = () => [...linesList.querySelectorAll('li')].map((li) => ({
    sku: /** @type {HTMLInputElement} */ (li.querySelector('[name=sku]')).value,
    quantity: /** @type {HTMLInputElement} */ (li.querySelector('[name=quantity]')).value,
  }));
  const drawLines = () => mount(linesList, lines.map((l, i) => lineRow(lines, i, l, () => { lines = readLines(); lines.splice(i, 1); drawLines(); })));
  drawLines();

  const slot = h('div', { class: 'form-problem' });
  const result = h('div', { class: 'results' });
  const form = h('form', { class: 'card stack promise-form', novalidate: true },
    h('div', { class: 'row' },
      field('Channel', channel),
      field('Country', country, 'ISO code, e.g. US, DE'),
      field('Postcode', postcode),
      field('Currency', currency, 'optional')),
    h('fieldset', { 'data-field': 'lines' }, h('legend', {}, 'Items (SKU × quantity)'), linesList,
      h('button', { type: 'button', class: 'secondary small', onclick: () => { lines = readLines(); lines.push({ sku: '', quantity: '1' }); drawLines(); } }, '+ Add line')),
    h('button', { type: 'submit' }, 'Get delivery promise'),
    slot);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormProblem(form, slot);
    lines = readLines();
    last = { channel: channel.value.trim(), country: country.value.trim().toUpperCase(), postcode: postcode.value.trim(), currency: currency.value.trim().toUpperCase(), lines };
    const body = {
      channel: last.channel,
      destination: { country: last.country, ...(last.postcode ? { postcode: last.postcode } : {}) },
      ...(last.currency ? { currency: last.currency } : {}),
      // a quantity that is not a whole number is sent as typed: the API names the line and says why
      lines: lines.map((l) => ({ sku: l.sku.trim(), quantity: /^\d+$/.test(l.quantity.trim()) ? Number(l.quantity.trim()) : l.quantity.trim() })),
    };
    mount(result, h('p', { class: 'loading' }, 'Quoting…'));
    try {
      mount(result, quotesView(await api('POST', '/v1/promise', body)));
    } catch (err) {
      result.replaceChildren();
      showFormProblem(form, slot, err);
    }
  });

  mount(root, h('h1', {}, 'Delivery promise'),
    h('p', { class: 'muted' }, 'Quote a hypothetical basket as a storefront would: no stock is touched.'),
    form, result);
}

function quotesView(p) {
  const quotes = p?.quotes ?? [];
  const dest = p?.destination ? [p.destination.postcode, p.destination.country].filter(Boolean).join(' ') : '';
  if (quotes.length === 0) return h('p', { class: 'empty' }, 'No service levels quoted.');
  return table([
    ['Service level', (q) => h('strong', {}, humanize(q.serviceLevel))],
    ['Delivery date', (q) => (q.available ? formatDay(q.deliveryDate) : badge('not available', 'unavailable'))],
    ['Ship by', (q) => (q.available ? formatDay(q.shipBy) : '')],
    ['Order within', (q) => (q.available && q.orderBy ? [h('strong', {}, duration(q.orderWithinMinutes)), h('br'), h('small', { class: 'muted' }, `until ${formatInstant(q.orderBy)}`)] : '')],
    ['Shipping', (q) => (q.available ? formatMoney(q.shippingMinor, q.currency) : ''), 'num'],
    ['Duties & taxes', (q) => (q.available ? formatMoney(q.dutiesAndTaxesMinor, q.currency) : ''), 'num'],
    ['Ships from', (q) => (q.available
      ? (q.shipments ?? []).map((s) => h('div', {}, h('strong', {}, s.location), ` · ${s.service} · ${formatDay(s.deliveryDate)}`))
      : [h('code', {}, q.reason ?? 'unavailable'), q.detail ? h('small', { class: 'muted breakdown' }, q.detail) : null])],
  ], quotes, { caption: `Promise to ${dest}`, rowClass: (q) => (q.available ? null : 'muted-row') });
}

/** 130 → "2 h 10 min", 2900 → "2 d 0 h" (the storefront's "order within"). */
function duration(minutes) {
  if (minutes >= 1440) return `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes} min`;
}
