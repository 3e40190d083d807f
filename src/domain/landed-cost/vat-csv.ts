import type { VatRateRule } from './rules.ts';

/** The first date the EU VAT table speaks for: rates before it are not modelled (lookups fail loudly). */
export const EU_VAT_TABLE_FROM = '2024-01-01';

const CHANGE = /^(\d+(?:\.\d+)?)%->(\d+(?:\.\d+)?)% from (\d{4}-\d{2}-\d{2})$/;

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

function dayBefore(isoDate: string): string {
  const t = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
  return new Date(t - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Turns `fixtures/crossborder/eu_vat_standard_rates_2026.csv` text (iso2,country,standard_rate_pct,recent_change,
 * source) into dated VAT rules. A `recent_change` of "22%->24% from 2025-07-01" gives the old rate up to the day
 * before and the new rate from that day. Pure: the caller reads the file.
 */
export function vatRulesFromCsv(csv: string, tableFrom: string = EU_VAT_TABLE_FROM): VatRateRule[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`VAT CSV: missing column ${name}`);
    return i;
  };
  const [iIso, iRate, iChange, iSource] = [col('iso2'), col('standard_rate_pct'), col('recent_change'), col('source')];
  const rules: VatRateRule[] = [];
  for (const line of lines.slice(1)) {
    const f = splitCsvLine(line);
    const country = (f[iIso] ?? '').trim();
    const ratePct = (f[iRate] ?? '').trim();
    const source = `eu_vat_standard_rates_2026.csv: ${(f[iSource] ?? '').trim()}`;
    if (!/^[A-Z]{2}$/.test(country) || !/^\d+(\.\d+)?$/.test(ratePct)) throw new Error(`VAT CSV: bad row '${line}'`);
    const change = CHANGE.exec((f[iChange] ?? '').trim());
    if (change && (change[3] as string) > tableFrom) {
      const from = change[3] as string;
      rules.push({ country, ratePct: change[1] as string, taxName: 'VAT', effectiveFrom: tableFrom, effectiveTo: dayBefore(from), source });
      rules.push({ country, ratePct, taxName: 'VAT', effectiveFrom: from, source });
    } else {
      rules.push({ country, ratePct, taxName: 'VAT', effectiveFrom: tableFrom, source });
    }
  }
  return rules;
}
