import { sql } from 'kysely';
import type { App } from './app.ts';
import { uuidv7 } from './platform/ids.ts';
import type { LocationInput } from './modules/locations/locations.service.ts';

/** Demo fulfilment network: US warehouses and a store, a 3PL, EU and UK sites, a factory-side FC in China. */
export const DEMO_LOCATIONS: LocationInput[] = [
  { code: 'WH-NJ', name: 'Carteret NJ DC', type: 'warehouse', postcode: '07008', country: 'US', lat: 40.5773, lon: -74.2282, timeZone: 'America/New_York', holidayRegion: 'NJ', cutoffTime: '15:00', handlingDays: 0, dailyCapacity: 50000, handlingCostMinor: 150, priority: 10, tags: ['hazmat-licensed', 'secure'] },
  { code: 'WH-CA', name: 'Ontario CA DC', type: 'warehouse', postcode: '91761', country: 'US', lat: 34.0633, lon: -117.6509, timeZone: 'America/Los_Angeles', holidayRegion: 'CA', cutoffTime: '14:00', handlingDays: 0, dailyCapacity: 50000, handlingCostMinor: 150, priority: 20, tags: ['secure'] },
  { code: 'WH-TX', name: 'Dallas DC', type: 'warehouse', postcode: '75201', country: 'US', lat: 32.7767, lon: -96.797, timeZone: 'America/Chicago', holidayRegion: 'TX', cutoffTime: '16:00', handlingDays: 0, dailyCapacity: 30000, handlingCostMinor: 140, priority: 30, tags: ['hazmat-licensed'] },
  { code: '3PL-IL', name: 'Chicago 3PL', type: '3pl', postcode: '60607', country: 'US', lat: 41.8756, lon: -87.6512, timeZone: 'America/Chicago', holidayRegion: 'IL', cutoffTime: '13:00', handlingDays: 1, dailyCapacity: 20000, handlingCostMinor: 220, priority: 40, tags: [] },
  { code: 'WH-GA', name: 'Atlanta DC', type: 'warehouse', postcode: '30318', country: 'US', lat: 33.7866, lon: -84.4455, timeZone: 'America/New_York', holidayRegion: 'GA', cutoffTime: '15:00', handlingDays: 0, dailyCapacity: 20000, handlingCostMinor: 150, priority: 50, tags: [] },
  { code: 'ST-NYC', name: 'SoHo store', type: 'store', postcode: '10012', country: 'US', lat: 40.7233, lon: -73.9985, timeZone: 'America/New_York', holidayRegion: 'NY', cutoffTime: '12:00', handlingDays: 1, dailyCapacity: 200, handlingCostMinor: 400, priority: 90, tags: ['store'] },
  { code: 'WH-WA', name: 'Seattle DC', type: 'warehouse', postcode: '98108', country: 'US', lat: 47.5390, lon: -122.3035, timeZone: 'America/Los_Angeles', holidayRegion: 'WA', cutoffTime: '15:00', handlingDays: 0, dailyCapacity: 20000, handlingCostMinor: 150, priority: 60, tags: [] },
  { code: 'WH-BER', name: 'Berlin FC', type: 'warehouse', postcode: '10115', country: 'DE', lat: 52.532, lon: 13.3849, timeZone: 'Europe/Berlin', holidayRegion: 'BE', cutoffTime: '14:00', handlingDays: 0, dailyCapacity: 20000, handlingCostMinor: 180, priority: 70, tags: ['secure'] },
  { code: '3PL-UK', name: 'Milton Keynes 3PL', type: '3pl', postcode: 'MK9 1AA', country: 'GB', lat: 52.0406, lon: -0.7594, timeZone: 'Europe/London', holidayRegion: 'ENG', cutoffTime: '15:00', handlingDays: 1, dailyCapacity: 10000, handlingCostMinor: 200, priority: 80, tags: [] },
  { code: 'FC-SZ', name: 'Shenzhen factory FC', type: 'factory_fc', postcode: '518000', country: 'CN', lat: 22.5431, lon: 114.0579, timeZone: 'Asia/Shanghai', cutoffTime: '17:00', handlingDays: 1, dailyCapacity: 100000, handlingCostMinor: 60, priority: 100, tags: ['hazmat-licensed'] },
];

export interface SeedOptions {
  skuCount?: number;
  locations?: number;
  unitsPerSkuLocation?: number;
  /** deterministic pseudo-random stock when true */
  varied?: boolean;
}

/** Loads the demo catalog, network, channels and stock. Idempotent: does nothing when locations exist. */
export async function seedDemo(app: App, opts: SeedOptions = {}): Promise<{ seeded: boolean }> {
  const { db } = app.database;
  const existing = await sql<{ n: number }>`select count(*)::int as n from locations`.execute(db);
  if (existing.rows[0]!.n > 0) return { seeded: false };
  const skuCount = opts.skuCount ?? 200;
  const locs = DEMO_LOCATIONS.slice(0, opts.locations ?? DEMO_LOCATIONS.length);
  await app.database.transaction(async (trx) => {
    for (const l of locs) await app.locations.insert(trx, l);
    const locRows = (await sql<{ id: string; code: string }>`select id, code from locations`.execute(trx)).rows;
    // SKUs in bulk
    const ids: string[] = [];
    const codes: string[] = [];
    const names: string[] = [];
    const weights: number[] = [];
    const values: number[] = [];
    const hs: string[] = [];
    for (let i = 1; i <= skuCount; i++) {
      ids.push(uuidv7());
      codes.push(`SKU-${String(i).padStart(5, '0')}`);
      names.push(`Demo product ${i}`);
      weights.push(100 + ((i * 137) % 4900));
      values.push(500 + ((i * 7919) % 19500));
      hs.push(['610910', '847130', '851713'][i % 3]!);
    }
    await sql`insert into skus (id, sku, name, weight_grams, length_mm, width_mm, height_mm, declared_value_minor, currency, hs_code, country_of_origin, hazmat_class, tags)
      select id, sku, name, w, 300, 200, 100, v, 'USD', hs, 'CN', case when sku = 'SKU-00007' then '9' else null end, '{}'
      from unnest(${ids}::uuid[], ${codes}::text[], ${names}::text[], ${weights}::int[], ${values}::bigint[], ${hs}::text[]) as t(id, sku, name, w, v, hs)`.execute(trx);
    // stock at every location, with matching ledger receipts (balances always equal the ledger)
    const sSku: string[] = [];
    const sLoc: string[] = [];
    const sQty: number[] = [];
    ids.forEach((skuId, i) => {
      locRows.forEach((l, j) => {
        const qty = opts.varied === false ? (opts.unitsPerSkuLocation ?? 100) : ((i * 31 + j * 17) % 7 === 0 ? 0 : (opts.unitsPerSkuLocation ?? 100) + ((i + j) % 50));
        sSku.push(skuId);
        sLoc.push(l.id);
        sQty.push(qty);
      });
    });
    await sql`insert into stock (sku_id, location_id, on_hand) select * from unnest(${sSku}::uuid[], ${sLoc}::uuid[], ${sQty}::int[])`.execute(trx);
    await sql`insert into inventory_ledger (sku_id, location_id, kind, on_hand_delta, reason, actor)
      select s, l, 'receipt', q, 'demo opening stock', 'seed' from unnest(${sSku}::uuid[], ${sLoc}::uuid[], ${sQty}::int[]) as t(s, l, q) where q <> 0`.execute(trx);
  });
  // a kit, a pre-order SKU, a no-back-order SKU
  await app.catalog.createSku({ sku: 'KIT-STARTER', name: 'Starter bundle', components: [{ sku: 'SKU-00001', qty: 1 }, { sku: 'SKU-00002', qty: 2 }] });
  await app.catalog.createSku({ sku: 'PRE-LAUNCH', name: 'Launch edition (pre-order)', weightGrams: 800, declaredValueMinor: 9900, preorderAvailableOn: '2027-03-01', hsCode: '851830', countryOfOrigin: 'CN' });
  await app.catalog.createSku({ sku: 'LTD-NOBO', name: 'Limited run, no back-orders', weightGrams: 300, declaredValueMinor: 4900, backorderAllowed: false });
  const all = locs.map((l) => l.code);
  const us = locs.filter((l) => l.country === 'US').map((l) => l.code);
  await app.channels.create({ code: 'web', name: 'Shopify web store', kind: 'shopify', locations: all, buffer: 0 });
  await app.channels.create({ code: 'woo', name: 'WooCommerce store', kind: 'woocommerce', locations: us, buffer: 0 });
  await app.channels.create({ code: 'amazon-us', name: 'Amazon US (MFN)', kind: 'amazon', locations: us, buffer: 2 });
  await app.channels.create({ code: 'ebay', name: 'eBay', kind: 'ebay', locations: us, buffer: 1 });
  await app.channels.create({ code: 'wholesale', name: 'Wholesale EDI', kind: 'edi', locations: all });
  await app.channels.create({ code: 'api', name: 'Direct API / phone', kind: 'api', locations: all });
  return { seeded: true };
}
