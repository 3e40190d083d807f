// DOM helpers. Every piece of data reaches the page as a text node or an attribute value set through the DOM
// API, never as markup, so nothing the API returns can be interpreted as HTML.

import { formatValue } from './format.js';

/**
 * h('a', { href: '#x', class: 'link', onclick: fn }, 'text', otherNode, [more, children])
 * Attributes: `class`, `on<event>` (listeners), booleans (true = present, false/null/undefined = absent),
 * everything else through setAttribute. Children: strings and numbers become text nodes; null/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns are [header, (row) => cell content, optional class]. */
export function table(columns, rows, opts = {}) {
  return h('table', { class: ['data', opts.class] },
    opts.caption ? h('caption', {}, opts.caption) : null,
    h('thead', {}, h('tr', {}, columns.map(([head, , cls]) => h('th', { scope: 'col', class: cls }, head)))),
    h('tbody', {}, rows.map((row) => {
      const tr = h('tr', { class: opts.rowClass?.(row) }, columns.map(([, cell, cls]) => h('td', { class: cls }, cell(row))));
      if (opts.onRowClick) {
        tr.classList.add('clickable');
        tr.addEventListener('click', (e) => {
          if (e.target instanceof Element && e.target.closest('a, button, input, select')) return;
          opts.onRowClick(row);
        });
      }
      return tr;
    })),
    opts.foot ? h('tfoot', {}, opts.foot) : null,
  );
}

/** A labelled form control; `field` is the API's name for it (matched against a problem's `field`). */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

/** Label/value pairs as a description list. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined).map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v ?? '—'))));
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).replace(/[^a-z0-9_-]/gi, '')}` }, text);
}

export function loading(what = 'Loading…') {
  return h('p', { class: 'loading', 'aria-busy': 'true' }, what);
}

let toastTimer = 0;
/** A short confirmation at the bottom of the page (announced to screen readers). */
export function toast(message) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

/** Settings that changed, one per line: `name: old → new` ([name, from, to] each). */
export function changeList(changes) {
  return h('ul', { class: 'changes' }, changes.map(([name, from, to]) => h('li', {}, h('code', {}, name), ': ', h('span', { class: 'from' }, formatValue(from)), ' → ', h('span', { class: 'to' }, formatValue(to)))));
}
