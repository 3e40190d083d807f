import type { Parcel } from './rate.ts';

export interface PackLine {
  readonly unitWeightGrams: number;
  readonly lengthMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
  readonly qty: number;
}

export interface PackOptions {
  /** Share of the box the items fill when there is more than one unit (0 < e ≤ 1). Default 0.8. */
  readonly packingEfficiency?: number;
  /** Box and dunnage weight added to the items. Default 0. */
  readonly tareGrams?: number;
}

const CM = 10;

/**
 * A parcel as packing and the quote path make it. One class rather than object literals: rating reads these
 * fields on every quote, and literals built in a function's first calls each get their own hidden class in V8,
 * which leaves the reading sites megamorphic (slow whenever other code has disturbed V8's shared lookup cache).
 */
export class PackedParcel implements Parcel {
  constructor(
    readonly weightGrams: number,
    readonly lengthMm: number,
    readonly widthMm: number,
    readonly heightMm: number,
  ) {}
}

/**
 * One-parcel estimate for a set of lines, good enough to rate before a warehouse has cartonised: weight is
 * the sum of the units (plus tare); the box is the items' volume divided by the packing efficiency, shaped as
 * close to a cube as the largest item allows, each side rounded up to a whole cm. A single unit ships in its
 * own dimensions.
 *
 * @example parcelFor([{ unitWeightGrams: 250, lengthMm: 200, widthMm: 100, heightMm: 50, qty: 4 }])
 *   // → { weightGrams: 1000, lengthMm: 200, widthMm: 160, heightMm: 160 }
 */
export function parcelFor(lines: readonly PackLine[], opts: PackOptions = {}): Parcel {
  const efficiency = opts.packingEfficiency ?? 0.8;
  if (!(efficiency > 0 && efficiency <= 1)) throw new RangeError(`packingEfficiency must be in (0, 1], got ${efficiency}`);
  let units = 0;
  let grams = opts.tareGrams ?? 0;
  let volume = 0;
  let minL = 0;
  let minW = 0;
  let minH = 0;
  for (const line of lines) {
    const { qty } = line;
    if (!(Number.isInteger(qty) && qty >= 0)) throw new RangeError(`qty must be a non-negative integer, got ${qty}`);
    if (qty === 0) continue;
    // the three sides, longest first (by hand: an array and a sort per line cost more than the rest of the loop)
    let a = line.lengthMm;
    let b = line.widthMm;
    let c = line.heightMm;
    let t: number;
    if (a < b) (t = a), (a = b), (b = t);
    if (b < c) (t = b), (b = c), (c = t);
    if (a < b) (t = a), (a = b), (b = t);
    if (!(c >= 0 && line.unitWeightGrams >= 0)) throw new RangeError('unit weight and dimensions must be non-negative');
    units += qty;
    grams += line.unitWeightGrams * qty;
    volume += a * b * c * qty;
    if (a > minL) minL = a;
    if (b > minW) minW = b;
    if (c > minH) minH = c;
  }
  if (units === 0) throw new RangeError('parcelFor: no units to pack');
  const weightGrams = Math.round(grams);
  if (units === 1) return new PackedParcel(weightGrams, minL, minW, minH);
  const boxVolume = volume / efficiency;
  const l = Math.max(minL, Math.cbrt(boxVolume));
  const w = Math.max(minW, Math.sqrt(boxVolume / l));
  const h = Math.max(minH, boxVolume / (l * w));
  return new PackedParcel(weightGrams, upToCm(l), upToCm(w), upToCm(h));
}

const upToCm = (mm: number): number => Math.ceil(mm / CM - 1e-9) * CM;
