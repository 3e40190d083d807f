// Hold rules: which captured orders wait for a person before they are worked (the order's stock stays reserved).
// Conditions are built in the same condition builder as routing profiles (or typed as JsonLogic).
import { api, ApiError, clearFormProblem, loadItems, problemView, showFormProblem } from './api.js';
import { badge, changeList, field, h, loading, mount, table, toast } from './dom.js';
import { formatInstant } from './format.js';
import { reactPartsWithChannels } from './react-parts.js';

export async function renderHolds(root) {
  const results = h('div', { class: 'results' }, loading('Loading hold rules…'));
  const editor = ruleEditor(() => renderHolds(root));
  const history = h('section', { class: 'hold-rule-history', 'aria-label': 'Hold rule history' });
  mount(root, h('h1', {}, 'Hold rules'),
    h('p', { class: 'muted' }, 'A captured order that matches an active rule (tried by priority, lowest first) goes on hold with the rule\'s reason; its stock stays reserved. Release it from the order page once someone has looked.'),
    results, history, editor.card);
  const items = await loadItems(results, '/v1/hold-rules', 'No hold rules: every order is worked as soon as it is captured. Add one below.');
  if (!items) return;
  mount(results, table([
    ['Priority', (r) => String(r.priority), 'num'],
    ['Rule', (r) => [h('strong', {}, r.name), h('br'), h('code', {}, r.id), h('small', { class: 'muted' }, ` v${r.version}`)]],
    ['Active', (r) => (r.active ? badge('active', 'active') : badge('inactive', 'inactive'))],
    ['Holds orders when', (r) => h('code', { class: 'wrap' }, JSON.stringify(r.conditions))],
    ['Reason given', (r) => r.reason],
    ['', (r) => h('div', { class: 'row' },
      h('button', { type: 'button', class: 'secondary small', onclick: () => editor.edit(r) }, 'Edit'),
      h('button', { type: 'button', class: 'secondary small', onclick: () => void showHistory(history, r.id) }, 'History'))],
  ], items, { rowClass: (r) => (r.active ? null : 'muted-row') }));
}

/** Every version of a rule: who saved it, when, what changed (GET /v1/hold-rules/{id}). */
async function showHistory(slot, id) {
  mount(slot, h('div', { class: 'card' }, loading(`Loading the history of ${id}…`)));
  try {
    const versions = (await api('GET', `/v1/hold-rules/${encodeURIComponent(id)}`)).items;
    mount(slot, h('div', { class: 'card stack' },
      h('div', { class: 'row' }, h('h2', {}, `History of ${id}`), h('button', { type: 'button', class: 'secondary small', onclick: () => slot.replaceChildren() }, 'Close')),
      table([
        ['Version', (v) => h('strong', {}, `v${v.version}`)],
        ['Saved', (v) => [formatInstant(v.createdAt), h('br'), h('small', { class: 'muted' }, v.createdBy)]],
        ['What changed', (v) => (v.changes === null ? h('span', { class: 'muted' }, 'created') : v.changes.length === 0 ? h('span', { class: 'muted' }, 'nothing') : changeList(v.changes.map((c) => [c.path, c.from, c.to])))],
      ], versions)));
  } catch (err) {
    mount(slot, h('div', { class: 'card' }, problemView(err)));
  }
}

function ruleEditor(reload) {
  const id = h('input', { name: 'id', 'data-field': 'id', required: true, placeholder: 'e.g. big-first-orders' });
  const name = h('input', { name: 'name', 'data-field': 'name', required: true });
  const priority = h('input', { name: 'priority', type: 'number', 'data-field': 'priority', value: 100, step: 1 });
  const active = h('input', { name: 'active', type: 'checkbox', checked: true });
  const reason = h('input', { name: 'reason', 'data-field': 'reason', required: true, placeholder: 'shown on the held order' });
  const conditions = h('textarea', { name: 'conditions', rows: 4, class: 'code', spellcheck: 'false', 'data-field': 'conditions', 'aria-label': 'Conditions (JsonLogic)' }, '');
  const visual = h('div', { class: 'visual-editor', 'aria-label': 'Conditions (builder)' });
  const slot = h('div', { class: 'form-problem' });
  let mounted = null;
  const parsed = () => {
    if (!conditions.value.trim()) return null;
    try {
      return JSON.parse(conditions.value);
    } catch (e) {
      throw new ApiError(0, { code: 'invalid_json', detail: `The conditions are not valid JSON: ${e instanceof Error ? e.message : e}`, field: 'conditions' });
    }
  };
  void reactPartsWithChannels().then(([m, channels]) => {
    if (!m) return mount(visual, h('p', { class: 'muted' }, 'The condition builder is not built (npm run build:web): type the conditions as JsonLogic.'));
    mounted = m.mountConditionBuilder(visual, {
      conditions: null,
      channels,
      emptyText: 'No conditions yet: a rule must say which orders to hold.',
      onChange: (c) => {
        conditions.value = c === null ? '' : JSON.stringify(c);
      },
    });
  });
  conditions.addEventListener('change', () => {
    try {
      mounted?.set(parsed());
    } catch {
      /* shown when saved */
    }
  });
  const form = h('form', { class: 'card stack hold-rule-form', novalidate: true },
    h('h2', {}, 'Add or change a rule'),
    h('div', { class: 'row' }, field('Id', id, 'the same id saves the next version'), field('Name', name), field('Priority', priority, 'lower is tried first'), field('Active', active)),
    field('Reason', reason),
    h('div', {}, h('strong', {}, 'Holds orders when'), visual),
    field('Conditions (JsonLogic)', conditions, 'the same conditions as the builder; typed here, the builder follows'),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Save rule')),
    slot);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormProblem(form, slot);
    try {
      const body = { id: id.value.trim(), name: name.value.trim(), priority: Number(priority.value || 100), active: active.checked, reason: reason.value.trim(), conditions: parsed() };
      const saved = await api('POST', '/v1/hold-rules', body);
      toast(`Saved ${saved.id} as version ${saved.version}`);
      reload();
    } catch (err) {
      showFormProblem(form, slot, err);
    }
  });
  return {
    card: form,
    edit(r) {
      id.value = r.id;
      name.value = r.name;
      priority.value = String(r.priority);
      active.checked = r.active;
      reason.value = r.reason;
      conditions.value = JSON.stringify(r.conditions);
      mounted?.set(r.conditions);
      clearFormProblem(form, slot);
      form.scrollIntoView({ block: 'start' });
    },
  };
}
