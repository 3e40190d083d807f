// The JSON API, called with the key the user entered (kept in sessionStorage: this tab only).
import { h, mount } from './dom.js';

const KEY = 'switchyard.apiKey';

export function getKey() {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function setKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

/** An API failure as application/problem+json describes it (status 0 = no response). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem.code ?? `http_${status}`;
    this.detail = problem.detail ?? problem.title ?? '';
    this.field = problem.field ?? null;
    this.problem = problem;
  }
}

/** Calls the API; resolves with the parsed JSON body, rejects with an ApiError. */
export async function api(method, path, body) {
  const key = getKey();
  if (!key) throw new ApiError(0, { code: 'no_api_key', detail: 'Enter an API key at the top of the page first.' });
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        accept: 'application/json, application/problem+json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, { code: 'network_error', detail: `the server did not answer (${err instanceof Error ? err.message : err})` });
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data : { code: `http_${res.status}`, detail: text.slice(0, 300) || res.statusText };
    throw new ApiError(res.status, problem);
  }
  return data;
}

/** Builds a query string from the non-empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A problem, shown: code, status, detail and the offending field. */
export function problemView(err) {
  const e = err instanceof ApiError ? err : new ApiError(0, { code: 'client_error', detail: err instanceof Error ? err.message : String(err) });
  const hint = e.status === 401 ? 'Check the API key at the top of the page.' : e.status === 403 ? 'This key\u2019s role may not do this.' : null;
  return h('div', { class: 'problem', role: 'alert' },
    h('p', { class: 'problem-head' },
      h('code', { class: 'problem-code' }, e.code),
      e.status ? h('span', { class: 'problem-status' }, ` HTTP ${e.status}`) : null),
    e.detail ? h('p', { class: 'problem-detail' }, e.detail) : null,
    e.field ? h('p', { class: 'problem-field' }, 'Field: ', h('code', {}, e.field)) : null,
    hint ? h('p', { class: 'problem-hint' }, hint) : null,
  );
}

/**
 * Shows a problem in a form's error slot and marks the control the problem names (`data-field` equal to the
 * problem's field, or its closest parent path: "lines/0/sku" → "lines/0/sku", "lines/0", "lines").
 */
export function showFormProblem(form, slot, err) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  slot.replaceChildren(problemView(err));
  const f = err instanceof ApiError ? err.field : null;
  if (!f) return;
  const parts = f.split('/');
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join('/');
    const el = [...form.querySelectorAll('[data-field]')].find((c) => c.getAttribute('data-field') === name);
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      if (el instanceof HTMLElement) el.focus();
      return;
    }
  }
}

export function clearFormProblem(form, slot) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  slot.replaceChildren();
}

/**
 * Loads a list resource (`{ items }`) into `slot`: resolves with the items, or shows the problem or `emptyText` there
 * and resolves with null.
 */
export async function loadItems(slot, path, emptyText) {
  let items;
  try {
    items = (await api('GET', path)).items ?? [];
  } catch (err) {
    mount(slot, problemView(err));
    return null;
  }
  if (items.length === 0) {
    mount(slot, h('p', { class: 'empty' }, emptyText));
    return null;
  }
  return items;
}
