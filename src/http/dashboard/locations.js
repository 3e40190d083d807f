// The network today: each location open or closed (why), its cut-off and when an order placed now is released
// there, closures ahead, today's capacity taken and left; and what ops change on a busy day: take a site out of
// routing or back, change its daily capacity, close a date or open it again.
import { api, problemView } from './api.js';
import { badge, changeList, h, loading, mount, table, toast } from './dom.js';
import { formatDay, formatInstant, formatNumber, humanize } from './format.js';

export async function renderLocations(root) {
  const results = h('div', { class: 'results' }, loading('Loading the network…'));
  const history = h('section', { class: 'location-history', 'aria-label': 'Location history' });
  mount(root, h('h1', {}, 'Locations'),
    h('p', { class: 'muted' }, 'Every fulfilment location as routing sees it today. A location taken out of routing gets no new orders (its reservations stay); capacity is orders per local day; a closed date is skipped by promises and routing.'),
    results, history);
  const reload = () => renderLocations(root);
  let status;
  try {
    status = await api('GET', '/v1/network/status');
  } catch (err) {
    mount(results, problemView(err));
    return;
  }
  if (status.items.length === 0) {
    mount(results, h('p', { class: 'empty' }, 'No locations yet: create one with POST /v1/locations.'));
    return;
  }
  mount(results, table([
    ['Location', (l) => [h('strong', {}, l.code), ' ', h('span', {}, l.name), h('br'), h('small', { class: 'muted' }, `${humanize(l.type)} · ${l.country} · ${l.timeZone}`)]],
    ['Routing', (l) => (l.active ? badge('in routing', 'active') : badge('out of routing', 'inactive'))],
    ['Today', (l) => today(l)],
    ['Capacity today', (l) => capacity(l), 'num'],
    ['Reserved here', (l) => reservedHere(l, reload), 'num'],
    ['Closures ahead', (l) => closures(l, reload)],
    ['', (l) => actions(l, reload, () => void showHistory(history, l.code))],
  ], status.items, { rowClass: (l) => (l.active ? null : 'muted-row') }));
}

function today(l) {
  const d = l.today;
  if (!d) return h('span', { class: 'problem-text' }, `calendar unreadable: ${l.calendarError ?? 'unknown'}`);
  const local = d.localTime.slice(11, 16);
  if (!d.working) return [badge('closed', 'hold'), ' ', h('span', {}, humanize(d.closedReason)), h('br'), h('small', { class: 'muted' }, `${local} local · orders now released ${formatDay(d.releaseDate)}`)];
  if (d.releasesToday) return [badge('open', 'active'), ' ', `until the ${l.cutoffTime} cut-off`, h('br'), h('small', { class: 'muted' }, `${local} local · cut-off ${formatInstant(d.cutoffInstant)}`)];
  return [badge('past cut-off', 'partial'), ' ', `orders now released ${formatDay(d.releaseDate)}`, h('br'), h('small', { class: 'muted' }, `${local} local · cut-off was ${l.cutoffTime}`)];
}

function capacity(l) {
  const c = l.capacity;
  if (c.daily === null) return h('span', { class: 'muted' }, 'no limit');
  const full = c.left === 0;
  // nine tenths taken: worth raising the limit or moving work before routing starts skipping the site
  const nearly = !full && c.daily > 0 && c.taken / c.daily >= 0.9;
  return [h('span', { class: full ? 'problem-text' : nearly ? 'warn' : null }, `${formatNumber(c.taken)} / ${formatNumber(c.daily)}`), h('br'),
    h('small', { class: 'muted' }, full ? 'full: excluded from routing today' : nearly ? `nearly full: ${formatNumber(c.left)} left` : `${formatNumber(c.left)} left`)];
}

/** What the site holds for unreleased orders, and moving all of it elsewhere when it cannot ship. */
function reservedHere(l, reload) {
  const r = l.reserved;
  if (r.orders === 0) return h('span', { class: 'muted' }, 'nothing');
  const evacuate = () => {
    const reason = prompt(`Re-route the ${r.orders} order(s) reserved at ${l.code} (${r.units} units) to other locations. Why can ${l.code} not ship them?`, l.active ? '' : 'out of routing');
    if (reason === null || reason.trim() === '') return;
    void change('', async () => {
      const res = await api('POST', `/v1/locations/${encodeURIComponent(l.code)}/evacuate`, { reason: reason.trim(), limit: 2000 });
      const failed = res.orders.filter((o) => o.problem).length;
      toast(`Moved ${res.moved} order(s) from ${l.code}: ${res.units.reservedElsewhere} unit(s) reserved elsewhere, ${res.units.waiting} waiting${failed ? `; ${failed} could not move` : ''}`);
    }, reload);
  };
  return [`${formatNumber(r.orders)} order(s)`, h('br'), h('small', { class: 'muted' }, `${formatNumber(r.units)} unit(s)`), h('br'),
    h('button', { type: 'button', class: 'secondary small', onclick: evacuate }, 'Move elsewhere')];
}

function closures(l, reload) {
  const ahead = l.today?.upcomingClosures ?? [];
  const own = new Set(l.closures);
  if (ahead.length === 0) return h('span', { class: 'muted' }, 'none in the next 14 days');
  return h('ul', { class: 'closures' }, ahead.map((c) => h('li', {},
    `${formatDay(c.date)} · ${humanize(c.reason)}`,
    // a date the site closed itself can be opened again; a public holiday cannot
    own.has(c.date) ? [' ', h('button', { type: 'button', class: 'secondary small', onclick: () => void change(`Opened ${l.code} on ${c.date}`, () => api('DELETE', `/v1/locations/${encodeURIComponent(l.code)}/closures/${c.date}`), reload) }, `Open ${c.date}`)] : null)));
}

/** Who changed a location, when, and what (GET /v1/locations/{code}/history). */
async function showHistory(slot, code) {
  mount(slot, h('div', { class: 'card' }, loading(`Loading the history of ${code}…`)));
  let items;
  try {
    items = (await api('GET', `/v1/locations/${encodeURIComponent(code)}/history`)).items;
  } catch (err) {
    mount(slot, h('div', { class: 'card' }, problemView(err)));
    return;
  }
  const what = (e) => {
    if (e.action === 'changed') return changeList(e.changes.map((c) => [c.field, c.from, c.to]));
    if (e.action === 'closed' || e.action === 'opened') return `${e.action === 'closed' ? 'closed on' : 'opened again on'} ${formatDay(e.changes.date)}`;
    if (e.action === 'evacuated') return `${formatNumber(e.changes.orders)} order(s) moved elsewhere: ${formatNumber(e.changes.units.reservedElsewhere)} unit(s) reserved elsewhere, ${formatNumber(e.changes.units.waiting)} waiting`;
    return humanize(e.action);
  };
  mount(slot, h('div', { class: 'card stack' },
    h('div', { class: 'row' }, h('h2', {}, `History of ${code}`), h('button', { type: 'button', class: 'secondary small', onclick: () => slot.replaceChildren() }, 'Close')),
    items.length === 0
      ? h('p', { class: 'empty' }, 'No change recorded since it was set up.')
      : table([
        ['When', (e) => [formatInstant(e.at), h('br'), h('small', { class: 'muted' }, e.actor)]],
        ['What', (e) => [badge(humanize(e.action), e.action === 'evacuated' ? 'hold' : 'released'), ' ', what(e)]],
        ['Why', (e) => e.reason ?? h('span', { class: 'muted' }, '—')],
      ], items)));
  slot.scrollIntoView({ block: 'start' });
}

function actions(l, reload, history) {
  const code = encodeURIComponent(l.code);
  const date = h('input', { type: 'date', name: 'closure', 'aria-label': `Date to close ${l.code}`, required: true });
  const closeForm = h('form', { class: 'row inline' },
    date,
    h('button', { type: 'submit', class: 'secondary small' }, 'Close this date'));
  closeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!date.value) return;
    void change(`Closed ${l.code} on ${date.value}`, () => api('POST', `/v1/locations/${code}/closures`, { date: date.value }), reload);
  });
  const setCapacity = () => {
    const v = prompt(`Orders per day at ${l.code} (empty = no limit)`, l.capacity.daily === null ? '' : String(l.capacity.daily));
    if (v === null) return;
    const dailyCapacity = v.trim() === '' ? null : Number(v.trim());
    void change(`Capacity of ${l.code} set`, () => api('PATCH', `/v1/locations/${code}`, { dailyCapacity }), reload);
  };
  const toggle = () => {
    if (l.active && !confirm(`Take ${l.code} out of routing? New orders go elsewhere; what it holds stays reserved.`)) return;
    void change(l.active ? `${l.code} out of routing` : `${l.code} back in routing`, () => api('PATCH', `/v1/locations/${code}`, { active: !l.active }), reload);
  };
  return h('div', { class: 'stack' },
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'secondary small', onclick: toggle }, l.active ? 'Take out of routing' : 'Put back in routing'),
      h('button', { type: 'button', class: 'secondary small', onclick: setCapacity }, 'Set capacity'),
      h('button', { type: 'button', class: 'secondary small', onclick: history }, 'History')),
    closeForm);
}

/** Runs a change, then reloads the view (or shows the API's problem in a toast-sized alert). */
async function change(done, call, reload) {
  try {
    await call();
    if (done) toast(done);
    reload();
  } catch (err) {
    toast(err instanceof Error ? `${err.message}` : String(err));
  }
}
