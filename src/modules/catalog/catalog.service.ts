import { sql } from 'kysely';
import type { Database, Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';

export interface SkuInput {
  sku: string;
  name: string;
  productCode?: string;
  weightGrams?: number;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
  declaredValueMinor?: number;
  currency?: string;
  hsCode?: string | null;
  countryOfOrigin?: string | null;
  hazmatClass?: string | null;
  tags?: string[];
  backorderAllowed?: boolean;
  preorderAvailableOn?: string | null;
  components?: Array<{ sku: string; qty: number }>;
}

export interface SkuInfo {
  id: string;
  sku: string;
  name: string;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  declaredValueMinor: number;
  currency: string;
  hsCode: string | null;
  countryOfOrigin: string | null;
  hazmatClass: string | null;
  tags: string[];
  isKit: boolean;
  backorderAllowed: boolean;
  preorderAvailableOn: string | null;
  components: Array<{ skuId: string; sku: string; qty: number }>;
}

const SKU_COLUMNS = sql`s.id, s.sku, s.name, s.weight_grams, s.length_mm, s.width_mm, s.height_mm, s.declared_value_minor,
  s.currency, s.hs_code, s.country_of_origin, s.hazmat_class, s.tags, s.is_kit, s.backorder_allowed,
  to_char(s.preorder_available_on, 'YYYY-MM-DD') as preorder_available_on,
  coalesce((select json_agg(json_build_object('skuId', c.component_sku_id, 'sku', cs.sku, 'qty', c.qty) order by cs.sku)
            from kit_components c join skus cs on cs.id = c.component_sku_id where c.kit_sku_id = s.id), '[]') as components`;

function toSku(r: any): SkuInfo {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    weightGrams: r.weight_grams,
    lengthMm: r.length_mm,
    widthMm: r.width_mm,
    heightMm: r.height_mm,
    declaredValueMinor: r.declared_value_minor,
    currency: r.currency,
    hsCode: r.hs_code,
    countryOfOrigin: r.country_of_origin,
    hazmatClass: r.hazmat_class,
    tags: r.tags,
    isKit: r.is_kit,
    backorderAllowed: r.backorder_allowed,
    preorderAvailableOn: r.preorder_available_on,
    components: typeof r.components === 'string' ? JSON.parse(r.components) : r.components,
  };
}

/** Products and SKUs, including kits (component SKUs × quantity). */
export class CatalogService {
  constructor(private readonly database: Database) {}

  async createSku(input: SkuInput): Promise<SkuInfo> {
    return this.database.transaction(async (trx) => {
      const id = await this.insertSku(trx, input);
      return (await this.getSkusByIds(trx, [id]))[0]!;
    });
  }

  /** Inserts one SKU (and its product, and kit components) in the caller's transaction. */
  async insertSku(trx: Tx, input: SkuInput): Promise<string> {
    const components = input.components ?? [];
    let compRows: Array<{ id: string; sku: string; is_kit: boolean }> = [];
    if (components.length > 0) {
      const codes = components.map((c) => c.sku);
      if (new Set(codes).size !== codes.length) throw invalid('duplicate_component', 'a kit lists the same component twice', 'components');
      compRows = (await sql<{ id: string; sku: string; is_kit: boolean }>`select id, sku, is_kit from skus where sku = any(${codes})`.execute(trx)).rows;
      const found = new Map(compRows.map((r) => [r.sku, r]));
      components.forEach((c, i) => {
        const row = found.get(c.sku);
        if (!row) throw invalid('unknown_sku', `component SKU ${c.sku} does not exist`, `components/${i}/sku`);
        if (row.is_kit) throw invalid('nested_kit', `component ${c.sku} is itself a kit; kits of kits are not supported`, `components/${i}/sku`);
      });
    }
    let productId: string | null = null;
    if (input.productCode) {
      const p = await sql<{ id: string }>`
        insert into products (id, code, name) values (${uuidv7()}, ${input.productCode}, ${input.name})
        on conflict (code) do update set code = excluded.code returning id`.execute(trx);
      productId = p.rows[0]!.id;
    }
    const id = uuidv7();
    const inserted = await sql`
      insert into skus (id, sku, product_id, name, weight_grams, length_mm, width_mm, height_mm, declared_value_minor, currency,
        hs_code, country_of_origin, hazmat_class, tags, is_kit, backorder_allowed, preorder_available_on)
      values (${id}, ${input.sku}, ${productId}, ${input.name}, ${input.weightGrams ?? 0}, ${input.lengthMm ?? 0}, ${input.widthMm ?? 0},
        ${input.heightMm ?? 0}, ${input.declaredValueMinor ?? 0}, ${input.currency ?? 'USD'}, ${input.hsCode ?? null},
        ${input.countryOfOrigin ?? null}, ${input.hazmatClass ?? null}, ${input.tags ?? []}, ${components.length > 0},
        ${input.backorderAllowed ?? true}, ${input.preorderAvailableOn ?? null})
      on conflict (sku) do nothing`.execute(trx);
    if (Number(inserted.numAffectedRows ?? 0) === 0) throw conflict('sku_exists', `SKU ${input.sku} already exists`, 'sku');
    for (const c of components) {
      const comp = compRows.find((r) => r.sku === c.sku)!;
      await sql`insert into kit_components (kit_sku_id, component_sku_id, qty) values (${id}, ${comp.id}, ${c.qty})`.execute(trx);
    }
    return id;
  }

  async getSku(code: string): Promise<SkuInfo> {
    const r = await sql`select ${SKU_COLUMNS} from skus s where s.sku = ${code}`.execute(this.database.db);
    if (r.rows.length === 0) throw notFound('sku', code);
    return toSku(r.rows[0]);
  }

  async listSkus(opts: { limit: number; after?: string }): Promise<SkuInfo[]> {
    const r = await sql`select ${SKU_COLUMNS} from skus s where ${opts.after ?? ''} = '' or s.sku > ${opts.after ?? ''}
      order by s.sku limit ${opts.limit}`.execute(this.database.db);
    return r.rows.map(toSku);
  }

  async getSkusByIds(trx: Tx, ids: string[]): Promise<SkuInfo[]> {
    const r = await sql`select ${SKU_COLUMNS} from skus s where s.id = any(${ids}::uuid[]) order by s.sku`.execute(trx);
    return r.rows.map(toSku);
  }

  #cache = new Map<string, { at: number; sku: SkuInfo }>();
  /**
   * Like resolveSkus, plus the component SKUs of any kit, from a short-lived cache: the capture hot path reads
   * the same SKUs again and again. A change made elsewhere is seen within `maxAgeMs`.
   */
  async resolveSkusCached(trx: Tx, codes: string[], maxAgeMs = 5000): Promise<Map<string, SkuInfo>> {
    const now = Date.now();
    const out = new Map<string, SkuInfo>();
    let queue = [...codes];
    // closure over kit components: a kit found (cached or not) brings its components along
    for (let round = 0; queue.length > 0 && round < 3; round++) {
      const missing = new Set<string>();
      const take = (sku: SkuInfo) => {
        out.set(sku.sku, sku);
        for (const c of sku.components) if (!out.has(c.sku)) queue.push(c.sku);
      };
      while (queue.length > 0) {
        const code = queue.shift()!;
        if (out.has(code)) continue;
        const hit = this.#cache.get(code);
        if (hit && now - hit.at < maxAgeMs) take(hit.sku);
        else missing.add(code);
      }
      if (missing.size === 0) break;
      if (this.#cache.size > 100_000) this.#cache.clear();
      for (const sku of (await this.resolveSkus(trx, [...missing])).values()) {
        this.#cache.set(sku.sku, { at: now, sku });
        take(sku);
      }
    }
    return out;
  }

  /** Looks up SKUs by code in one query, with kit components. */
  async resolveSkus(trx: Tx, codes: string[]): Promise<Map<string, SkuInfo>> {
    const r = await sql`select ${SKU_COLUMNS} from skus s where s.sku = any(${codes}::text[])`.execute(trx);
    return new Map(r.rows.map((row) => [(row as any).sku as string, toSku(row)]));
  }
}
