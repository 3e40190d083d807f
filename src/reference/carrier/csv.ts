/**
 * Minimal RFC 4180 reader for the reference data files: quoted fields (with "" escapes and embedded commas
 * or newlines), CRLF or LF line ends, a trailing newline. Returns every record, blank lines as [''].
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** "3.39" → 339 (exact decimal → integer minor units, no float arithmetic). */
export function parseMinor(text: string, decimals = 2): number {
  const m = /^\s*\$?\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) throw new SyntaxError(`not a money amount: ${JSON.stringify(text)}`);
  const frac = (m[3] ?? '').padEnd(decimals, '0');
  if (frac.length > decimals && /[1-9]/.test(frac.slice(decimals))) throw new SyntaxError(`more than ${decimals} decimals: ${text}`);
  const minor = Number(m[2] || '0') * 10 ** decimals + Number(frac.slice(0, decimals) || '0');
  return m[1] === '-' ? -minor : minor;
}
