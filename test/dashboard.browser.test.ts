import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWoo } from '../src/adapters/channels/woocommerce/woocommerce.adapter.ts';
import { orderBody, startTestApp, type TestApp } from './support/engines.ts';

/**
 * The ops dashboard in a real browser: Debian's chromium (`apt-get install chromium`; `.ci/run` installs it) driven by
 * playwright-core. Without a chromium on the machine these tests are skipped, saying so.
 */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('dashboard browser tests skipped: no chromium (apt-get install chromium)');

describe.skipIf(!CHROMIUM)('ops dashboard in chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';
  let orderId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('pglite', { seed: { skuCount: 20 } });
    const o = await t.call('ops', 'POST', '/v1/orders', orderBody('browser-1', [['SKU-00003', 2], ['SKU-00004', 1]]));
    expect(o.status).toBe(201);
    orderId = o.body.id;
    await t.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.server.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page signed in with the ops key, collecting script errors (a failed API call the page shows is not one). */
  async function opsPage(hash: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    await page.goto(`${base}/${hash}`);
    await page.fill('#api-key', t.keys.ops);
    await page.click('#key-form button[type=submit]');
    return page;
  }

  it('lists orders and opens one with its routing decision explained', async () => {
    const page = await opsPage('#orders');
    await page.waitForSelector('table.data tbody tr');
    expect(await page.textContent('table.data tbody')).toContain('browser-1');
    await page.goto(`${base}/#orders/${orderId}`);
    await page.waitForSelector('article.decision');
    expect(await page.textContent('h1')).toBe('Order browser-1');
    const decision = (await page.textContent('article.decision'))!;
    expect(decision).toMatch(/ships/); // the explanation of why the winner won
    expect(await page.locator('article.decision table.data').count()).toBeGreaterThanOrEqual(2); // shipments and candidates
    await page.close();
  });

  it('a location rejects: its units are routed again elsewhere and the re-route is explained', async () => {
    const o = await t.call('ops', 'POST', '/v1/orders', orderBody('browser-reject', [['SKU-00005', 1]]));
    expect(o.status).toBe(201);
    const from = o.body.reservations[0].location as string;
    const page = await opsPage(`#orders/${o.body.id}`);
    await page.waitForSelector('article.decision');
    page.once('dialog', (d) => void d.accept('shelf empty at the count'));
    await page.getByRole('button', { name: `${from} rejects` }).click();
    await page.waitForSelector('article.decision h3:has-text("Current re-route")');
    const after = (await t.call('ops', 'GET', `/v1/orders/${o.body.id}`)).body;
    const active = after.reservations.filter((r: { status: string }) => r.status === 'active');
    expect(active).toHaveLength(1);
    expect(active[0].location).not.toBe(from);
    expect(after.timeline.some((e: { type: string; reason: string }) => e.type === 'order.rerouted')).toBe(true);
    expect(await page.locator('article.decision').count()).toBe(2);
    expect(await page.textContent('article.decision')).toContain(`rejected by ${from} (shelf empty at the count)`);
    await page.close();
  });

  it('re-optimises an order from its page: kept when nothing is better', async () => {
    const page = await opsPage(`#orders/${orderId}`);
    await page.waitForSelector('article.decision');
    await page.getByRole('button', { name: 'Re-optimise' }).click();
    await page.waitForSelector('text=/Kept: /');
    await page.close();
  });

  it('ships an order from a location ops choose, and shows the assignment in the routing history', async () => {
    const o = await t.call('ops', 'POST', '/v1/orders', orderBody('browser-assign', [['SKU-00011', 1]]));
    expect(o.status).toBe(201);
    const from = o.body.reservations[0].location as string;
    const to = from === 'WH-TX' ? 'WH-GA' : 'WH-TX';
    await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'SKU-00011', location: to, qty: 5 });
    const page = await opsPage(`#orders/${o.body.id}`);
    await page.waitForSelector('article.decision');
    const answers = [to, 'customer collects'];
    page.on('dialog', (d) => void d.accept(answers.shift()));
    await page.getByRole('button', { name: 'Ship from…' }).click();
    await page.waitForSelector('article.decision h3:has-text("Current assignment")');
    expect(await page.textContent('article.decision')).toContain(`assigned to ${to}: customer collects`);
    const after = (await t.call('ops', 'GET', `/v1/orders/${o.body.id}`)).body;
    expect(after.reservations.filter((r: { status: string }) => r.status === 'active').map((r: { location: string }) => r.location)).toEqual([to]);
    await page.close();
  });

  it('renders the inventory, promise and profiles views', async () => {
    // a SKU with no stock left and an order waiting for it: listed as out
    for (const l of await t.app.locations.list()) await t.call('ops', 'POST', '/v1/inventory/counts', { sku: 'SKU-00019', location: l.code, counted: 0 });
    expect((await t.call('ops', 'POST', '/v1/orders', orderBody('browser-out', [['SKU-00019', 1]]))).status).toBe(201);
    const page = await opsPage('#inventory/SKU-00003');
    await page.waitForSelector('h1');
    expect(await page.textContent('h1')).toBe('Inventory');
    await page.waitForSelector('.stock-cover table.data');
    expect(await page.locator('.stock-cover tbody tr', { hasText: 'SKU-00019' }).textContent()).toMatch(/out/);
    await page.goto(`${base}/#promise`);
    await page.waitForSelector('h1:text("Delivery promise")');
    await page.fill('input[name=sku]', 'SKU-00003');
    await page.getByRole('button', { name: 'Get delivery promise' }).click();
    await page.waitForSelector('table.data tbody tr');
    // each available level says until when it holds
    expect(await page.textContent('table.data')).toMatch(/Order within[\s\S]*\d+ (min|h|d)[\s\S]*until/);
    await page.goto(`${base}/#profiles`);
    await page.waitForSelector('h1:text("Routing profiles")');
    await page.close();
  });

  it('tries a profile draft on recent orders, shows what changes, and saves it as the next version', async () => {
    const page = await opsPage('#profiles');
    await page.waitForSelector('form.draft-form');
    // how the last day's orders were routed, above the profiles
    await page.waitForSelector('.routing-stats dl.facts');
    expect(await page.textContent('.routing-stats')).toMatch(/Orders routed\s*[1-9]/);
    // split orders looked at again: a preview changes nothing
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForSelector('.reoptimise-result p:has-text("split order(s) looked at")');
    // not JSON: said at the draft, nothing sent
    await page.fill('textarea[name=profile]', '{ "id": ');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('textarea[aria-invalid=true]');
    expect(await page.textContent('form.draft-form .form-problem')).toMatch(/not valid JSON/);
    // a rule the API refuses names its setting
    await page.fill('textarea[name=profile]', JSON.stringify({ id: 'browser-draft', name: 'Browser draft', constraints: { maxSplits: -1 } }));
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('form.draft-form .form-problem:has-text("maxSplits")');
    expect(await page.textContent('form.draft-form .form-problem')).toMatch(/invalid_profile/);
    // warehouses out: the order placed above moves, at a cost
    await page.fill('textarea[name=profile]', JSON.stringify({ id: 'browser-draft', name: 'Browser draft', priority: 5, constraints: { excludedLocationTypes: ['warehouse'] } }));
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('.simulation table.data');
    const text = (await page.textContent('.simulation'))!;
    expect(text).toContain('With browser-draft v1');
    expect(text).toMatch(/Orders whose plan changes: [1-9]/);
    expect(text).toContain('browser-1');
    expect(await t.app.routingProfiles.list()).toEqual([]);
    await page.getByRole('button', { name: 'Save as next version' }).click();
    await page.waitForSelector('table.data tbody tr:has-text("Browser draft")');
    expect((await t.app.routingProfiles.list()).map((p) => `${p.id} v${p.version}`)).toEqual(['browser-draft v1']);
    // a listed profile loads into the draft, to change and save as v2
    await page.locator('table.data tbody tr', { hasText: 'Browser draft' }).getByRole('button', { name: 'Try a change' }).click();
    expect(JSON.parse(await page.inputValue('textarea[name=profile]'))).toMatchObject({ id: 'browser-draft', priority: 5 });
    await page.close();
  });

  it('edits a profile as a form: conditions in the query builder, settings as inputs, the JSON in step; saved, it routes by them', async () => {
    const page = await opsPage('#profiles');
    const form = page.locator('.visual-editor');
    await form.locator('.queryBuilder').waitFor();
    const draft = async () => JSON.parse(await page.inputValue('textarea[name=profile]'));
    // showing a draft in the form does not rewrite it
    await page.waitForTimeout(300);
    expect(Object.keys(await draft())).not.toContain('weights');
    await form.getByLabel('Id', { exact: true }).fill('form-vip');
    await form.getByLabel('Name', { exact: true }).fill('VIP to NYC, one shipment');
    await form.getByLabel('Priority', { exact: true }).fill('3');
    // two conditions built in the query builder: a tag the order carries, a postcode prefix (react-querybuilder's
    // own `startsWith` operation, which the server registers)
    await form.getByRole('button', { name: '+ Condition' }).click();
    await form.locator('.rule').nth(0).locator('select.rule-fields').selectOption('tags');
    await form.locator('.rule').nth(0).locator('input.rule-value').fill('vip');
    await form.getByRole('button', { name: '+ Condition' }).click();
    await form.locator('.rule').nth(1).locator('select.rule-fields').selectOption('postcode');
    await form.locator('.rule').nth(1).locator('select.rule-operators').selectOption('beginsWith');
    await form.locator('.rule').nth(1).locator('input.rule-value').fill('10');
    await form.getByLabel('Most shipments per order').fill('1');
    await form.getByRole('group', { name: 'Excluded location types' }).getByLabel('store').check();
    await form.getByRole('button', { name: 'Add a distance band' }).click();
    await form.getByLabel('Band 1 penalty').fill('75');
    await form.getByLabel('Search', { exact: true }).selectOption('optimal');
    const d = await draft();
    expect(d).toMatchObject({
      id: 'form-vip', name: 'VIP to NYC, one shipment', priority: 3,
      conditions: { and: [{ in: ['vip', { var: 'tags' }] }, { startsWith: [{ var: 'postcode' }, '10'] }] },
      constraints: { maxSplits: 1, excludedLocationTypes: ['store'] },
      penalties: { distanceBands: [{ maxKm: 500, penaltyMinor: 75 }] },
      search: 'optimal',
    });
    // a setting the API refuses is marked in the form
    await form.getByLabel('Most shipments per order').fill('0');
    await page.click('form.draft-form button[type=submit]');
    await page.waitForSelector('form.draft-form .form-problem:has-text("maxSplits")');
    expect(await form.getByLabel('Most shipments per order').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Most shipments per order').fill('1');
    await page.getByRole('button', { name: 'Save as next version' }).click();
    await page.waitForSelector('table.data tbody tr:has-text("VIP to NYC, one shipment")');
    const saved = (await t.app.routingProfiles.list()).find((p) => p.id === 'form-vip')!;
    expect(saved.conditions).toEqual(d.conditions);
    expect(saved.search).toBe('optimal');
    // the saved conditions route: a VIP order to 10001 takes this profile, the same order to 02110 or untagged does not
    const nyc = { name: 'Ada Lovelace', line1: '1 Fifth Ave', city: 'New York', region: 'NY', postcode: '10001', country: 'US' };
    const decided = async (id: string, extra: Record<string, unknown>) => {
      const o = await t.call('ops', 'POST', '/v1/orders', orderBody(id, [['SKU-00006', 1]], extra));
      expect(o.status).toBe(201);
      return (await t.call('ops', 'GET', `/v1/orders/${o.body.id}/routing`)).body.decisions[0].profile.id as string;
    };
    expect(await decided('form-vip-1', { tags: ['vip'], shippingAddress: nyc })).toBe('form-vip');
    expect(await decided('form-vip-2', { tags: ['vip'] })).not.toBe('form-vip');
    expect(await decided('form-vip-3', { shippingAddress: nyc })).not.toBe('form-vip');
    // the form follows JSON typed by hand; conditions the builder cannot show are left to the JSON
    await page.fill('textarea[name=profile]', JSON.stringify({ id: 'typed', name: 'Typed by hand', conditions: { if: [{ var: 'units' }, true, false] } }));
    await expect.poll(() => form.getByLabel('Name', { exact: true }).inputValue()).toBe('Typed by hand');
    expect(await draft()).toEqual({ id: 'typed', name: 'Typed by hand', conditions: { if: [{ var: 'units' }, true, false] } });
    expect(await form.textContent()).toContain('the builder cannot show');
    await page.close();
  });

  it('shows a profile\'s history with what each version changed, and restores an earlier version', async () => {
    await t.call('ops', 'POST', '/v1/routing/profiles', { id: 'hist', name: 'History v1', priority: 90, constraints: { maxSplits: 2 } });
    await t.call('ops', 'POST', '/v1/routing/profiles', { id: 'hist', name: 'History v2', priority: 90, constraints: { maxSplits: 1 } });
    const page = await opsPage('#profiles');
    await page.locator('table.data tbody tr', { hasText: 'History v2' }).getByRole('button', { name: 'History' }).click();
    const panel = page.locator('.profile-history');
    await panel.locator('h2:has-text("History of hist")').waitFor();
    const rows = panel.locator('tbody tr'); // newest first
    expect(await rows.nth(0).textContent()).toMatch(/^v2 in force.*name: History v1 → History v2.*constraints\.maxSplits: 2 → 1/);
    expect(await rows.nth(1).textContent()).toMatch(/^v1.*created/);
    // an earlier version into the draft editor, to simulate before saving
    await panel.getByRole('button', { name: 'Try this version' }).nth(1).click();
    expect(JSON.parse(await page.inputValue('textarea[name=profile]'))).toMatchObject({ id: 'hist', name: 'History v1' });
    // or restored at once, after a confirmation
    page.once('dialog', (d) => void d.accept());
    await panel.getByRole('button', { name: 'Restore v1' }).click();
    await page.waitForSelector('table.data tbody tr:has-text("History v1")');
    const saved = (await t.app.routingProfiles.list()).find((p) => p.id === 'hist')!;
    expect(saved).toMatchObject({ version: 3, name: 'History v1', constraints: { maxSplits: 2 } });
    await page.close();
  });

  it('shows the network today and changes it: out of routing and back, capacity, a closed date opened again', async () => {
    const page = await opsPage('#locations');
    await page.waitForSelector('table.data tbody tr');
    const row = () => page.locator('table.data tbody tr', { hasText: 'SoHo store' });
    expect(await row().textContent()).toMatch(/in routing/);
    expect(await row().textContent()).toMatch(/\/ 200/); // capacity taken of the daily 200
    // out of routing, after a confirmation
    page.once('dialog', (d) => void d.accept());
    await row().getByRole('button', { name: 'Take out of routing' }).click();
    await row().getByRole('button', { name: 'Put back in routing' }).waitFor();
    expect((await t.app.locations.getByCode('ST-NYC')).active).toBe(false);
    await row().getByRole('button', { name: 'Put back in routing' }).click();
    await row().getByRole('button', { name: 'Take out of routing' }).waitFor();
    expect((await t.app.locations.getByCode('ST-NYC')).active).toBe(true);
    // capacity through a prompt
    page.once('dialog', (d) => void d.accept('150'));
    await row().getByRole('button', { name: 'Set capacity' }).click();
    await expect.poll(() => row().textContent()).toMatch(/\/ 150/);
    expect((await t.app.locations.getByCode('ST-NYC')).dailyCapacity).toBe(150);
    // close a weekday ahead that is not closed already (closures ahead list only days normally worked), see it
    // listed, open it again
    const today = (await t.app.network.status()).items.find((l) => l.code === 'ST-NYC')!.today!;
    let day = '';
    for (let k = 2; k < 14 && !day; k++) {
      const d = new Date(`${today.localDate}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + k);
      const iso = d.toISOString().slice(0, 10);
      if (d.getUTCDay() % 6 !== 0 && !today.upcomingClosures.some((c) => c.date === iso)) day = iso;
    }
    await row().getByLabel('Date to close ST-NYC').fill(day);
    await row().getByRole('button', { name: 'Close this date' }).click();
    await row().getByRole('button', { name: `Open ${day}` }).waitFor();
    expect((await t.app.locations.getByCode('ST-NYC')).closures).toContain(day);
    await row().getByRole('button', { name: `Open ${day}` }).click();
    await row().getByRole('button', { name: `Open ${day}` }).waitFor({ state: 'detached' });
    expect((await t.app.locations.getByCode('ST-NYC')).closures).not.toContain(day);
    // a site that cannot ship: what it holds moves elsewhere (each order re-routed, explained)
    const nj = () => page.locator('table.data tbody tr', { hasText: 'Carteret NJ DC' });
    const njLoc = await t.app.locations.getByCode('WH-NJ');
    const holding = (await t.app.orders.reservedAt(njLoc.id, 100)).total;
    expect(holding).toBeGreaterThan(0);
    expect(await nj().textContent()).toContain(`${holding} order(s)`);
    page.once('dialog', (d) => void d.accept('conveyor down'));
    await nj().getByRole('button', { name: 'Move elsewhere' }).click();
    await expect.poll(async () => (await t.app.orders.reservedAt(njLoc.id, 100)).total).toBe(0);
    await nj().getByText('nothing').waitFor();
    // the SoHo store's history says what was done to it, by whom
    await row().getByRole('button', { name: 'History' }).click();
    const hist = page.locator('.location-history');
    await hist.locator('h2:has-text("History of ST-NYC")').waitFor();
    const text = (await hist.textContent())!;
    expect(text).toMatch(/opened again on/);
    expect(text).toMatch(/closed on/);
    expect(text).toMatch(/dailyCapacity: 200 → 150/);
    expect(text).toMatch(/active: true → false/);
    await page.close();
  });

  it('adds a hold rule with the condition builder; a matching order is held with the rule\'s reason', async () => {
    const page = await opsPage('#holds');
    const form = page.locator('form.hold-rule-form');
    await form.locator('.queryBuilder').waitFor();
    await form.getByLabel('Id', { exact: true }).fill('vip-review');
    await form.getByLabel('Name', { exact: true }).fill('VIP orders reviewed');
    await form.getByLabel('Reason', { exact: true }).fill('VIP: call the customer first');
    await form.getByRole('button', { name: '+ Condition' }).click();
    await form.locator('.rule').nth(0).locator('select.rule-fields').selectOption('tags');
    await form.locator('.rule').nth(0).locator('input.rule-value').fill('vip');
    expect(JSON.parse(await form.locator('textarea[name=conditions]').inputValue())).toEqual({ and: [{ in: ['vip', { var: 'tags' }] }] });
    await form.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForSelector('table.data tbody tr:has-text("VIP orders reviewed")');
    const o = await t.call('channel', 'POST', '/v1/orders', orderBody('browser-vip', [['SKU-00012', 1]], { tags: ['vip'] }));
    expect(o.body.status).toBe('on_hold');
    expect((await t.call('ops', 'GET', `/v1/orders/${o.body.id}`)).body.timeline.find((e: { type: string }) => e.type === 'order.held').reason).toBe('hold_rule:vip-review: VIP: call the customer first');
    // a rule the API refuses names its setting in the form (the form is fresh after a save)
    await form.getByLabel('Name', { exact: true }).fill('Bad');
    await form.getByLabel('Reason', { exact: true }).fill('bad');
    await form.getByLabel('Id', { exact: true }).fill('Bad Id');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForSelector('form.hold-rule-form input[name=id][aria-invalid=true]');
    // switched off again, so later tests' orders are not held; the history says what changed
    await t.call('ops', 'POST', '/v1/hold-rules', { id: 'vip-review', name: 'VIP orders reviewed', reason: 'x', active: false, conditions: { in: ['vip', { var: 'tags' }] } });
    await page.reload();
    await page.locator('table.data tbody tr', { hasText: 'VIP orders reviewed' }).getByRole('button', { name: 'History' }).click();
    await page.waitForSelector('.hold-rule-history h2:has-text("History of vip-review")');
    expect(await page.locator('.hold-rule-history tbody tr').nth(0).textContent()).toMatch(/active: true → false/);
    await page.close();
  });

  it('shows each channel with the URL its shop posts to, and lets an admin rotate a webhook secret', async () => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#channels`);
    await page.fill('#api-key', t.keys.admin);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('table.data tbody tr');
    const rows = await page.locator('table.data tbody tr').allTextContents();
    const woo = rows.find((r) => r.includes('WooCommerce store'))!;
    expect(woo).toContain(`${base}/v1/channels/woo/webhooks/woocommerce`);
    expect(rows.find((r) => r.includes('Wholesale EDI'))).toContain('/v1/channels/wholesale/edi/850');
    const before = (await t.app.channels.secrets((await t.app.channels.getByCode('woo')).id)).current;
    await page.locator('table.data tbody tr', { hasText: 'WooCommerce store' }).getByRole('button', { name: 'Rotate secret' }).click();
    await page.waitForSelector('code.secret');
    const shown = await page.textContent('code.secret');
    const after = (await t.app.channels.secrets((await t.app.channels.getByCode('woo')).id));
    expect(shown).toBe(after.current);
    expect(after.previous).toBe(before);
    await page.close();
  });

  it('shows a quarantined channel order, the replay problem, and captures it once the cause is fixed', async () => {
    const woo = await t.app.channels.getByCode('woo');
    const secret = (await t.app.channels.secrets(woo.id)).current!;
    const o = JSON.parse(readFileSync('fixtures/channels/woocommerce/order_v3_example.json', 'utf8'));
    o.id = 8801;
    o.line_items[0].sku = 'BROWSER-NEW-1';
    o.line_items[1].sku = 'SKU-00005';
    const body = JSON.stringify(o);
    const hook = await t.server.inject({ method: 'POST', url: '/v1/channels/woo/webhooks/woocommerce', payload: body, headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-signature': signWoo(body, secret) } });
    expect(JSON.parse(hook.body)).toMatchObject({ quarantined: true, code: 'unknown_sku' });

    const page = await opsPage('#quarantine');
    await page.waitForSelector('table.data tbody tr');
    const row = (await page.textContent('table.data tbody tr'))!;
    expect(row).toContain('8801');
    expect(row).toContain('SKU BROWSER-NEW-1 does not exist');
    await page.click('table.data tbody tr button');
    await page.waitForSelector('.problem');
    expect(await page.textContent('.problem')).toContain('unknown_sku');

    await t.call('ops', 'POST', '/v1/skus', { sku: 'BROWSER-NEW-1', name: 'Browser launch' });
    await t.call('ops', 'POST', '/v1/inventory/receipts', { sku: 'BROWSER-NEW-1', location: 'WH-NJ', qty: 5 });
    await page.click('table.data tbody tr button');
    await page.waitForURL(/#orders\//);
    await page.waitForSelector('h1:text("Order 8801")');

    await page.goto(`${base}/#quarantine`);
    await page.waitForSelector('p.empty');
    await page.check('#quarantine-all');
    await page.waitForSelector('table.data tbody tr.muted-row');
    expect(await page.textContent('table.data tbody tr.muted-row')).toContain('captured');
    await page.close();
    expect(errors).toEqual([]);
  });
});
