// Channel quarantine: authentic channel orders that could not be captured as they came (unknown SKU, a line
// without SKU, an unmappable field). Ops fix the cause (create the SKU, correct it in the shop) and replay.
import { api, loadItems, problemView, query } from './api.js';
import { badge, h, loading, mount, table, toast } from './dom.js';
import { formatInstant, humanize } from './format.js';

export async function renderQuarantine(root) {
  const showAll = h('input', { type: 'checkbox', id: 'quarantine-all' });
  const results = h('div', { class: 'results' }, loading('Loading quarantine…'));
  mount(root, h('h1', {}, 'Channel quarantine'),
    h('p', { class: 'muted' }, 'Orders a channel sent that could not be captured as they are. Each waits here whole (nothing was reserved): fix its cause, then replay it; a corrected delivery from the channel settles it too.'),
    h('p', {}, h('label', { for: 'quarantine-all' }, showAll, ' Show settled entries too')),
    results);
  const load = async () => {
    mount(results, loading('Loading quarantine…'));
    const items = await loadItems(results, `/v1/quarantine${query({ open: showAll.checked ? undefined : true })}`,
      showAll.checked ? 'Nothing has ever been quarantined.' : 'Nothing waiting: every channel order was captured.');
    if (!items) return;
    mount(results, table([
      ['Received', (q) => formatInstant(q.createdAt)],
      ['Channel', (q) => [h('strong', {}, q.channel), h('br'), h('small', { class: 'muted' }, q.source)]],
      ['Channel order', (q) => h('code', {}, q.externalRef)],
      ['Why', (q) => [badge(humanize(q.errorCode), 'hold'), q.errorField ? [' ', h('code', {}, q.errorField)] : null, h('br'), h('small', {}, q.errorDetail)]],
      ['Attempts', (q) => String(q.attempts), 'num'],
      ['State', (q) => (q.resolvedAt
        ? [badge('captured', 'active'), ' ', h('a', { href: `#orders/${encodeURIComponent(q.orderId ?? '')}` }, 'order')]
        : replayButton(q, results, load))],
    ], items, { rowClass: (q) => (q.resolvedAt ? 'muted-row' : null) }));
  };
  showAll.addEventListener('change', load);
  await load();
}

function replayButton(q, results, reload) {
  const slot = h('div', {});
  const button = h('button', {
    type: 'button',
    onclick: async () => {
      button.disabled = true;
      try {
        const r = await api('POST', `/v1/quarantine/${encodeURIComponent(q.id)}/replay`);
        toast(`Channel order ${q.externalRef} captured`);
        location.hash = `#orders/${encodeURIComponent(r.orderId)}`;
      } catch (err) {
        mount(slot, problemView(err));
        button.disabled = false;
        if (err && err.status === 409) void reload();
      }
    },
  }, 'Replay');
  return [button, slot];
}
