import { fromDecimalString } from '../../domain/money/money.ts';

/** What every channel adapter's mapping shares. */

/** A channel payload that cannot be mapped to a capture input: `field` is the payload path at fault. */
export class ChannelMappingError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** Service level from the words of the shipping method the customer chose (code, id, title). */
export function serviceLevelFromText(text: string): string {
  const t = text.toLowerCase();
  if (/next.?day|overnight/.test(t)) return 'next_day';
  if (/express|priority|2.?day/.test(t)) return 'express';
  return 'standard';
}

/** A channel's address fields, named Switchyard's way; empty ones are left out of the capture address. */
export interface AddressParts {
  name?: string | null; company?: string | null; line1?: string | null; line2?: string | null; city?: string | null;
  region?: string | null; postcode?: string | null; country?: string | null; phone?: string | null;
}

/** The capture address, or a mapping error at `field` naming the channel's own required fields (`required`). */
export function captureAddress(a: AddressParts, field: string, required: string) {
  if (!a.line1 || !a.city || !a.country) throw new ChannelMappingError(field, `${field} needs ${required}`);
  return {
    ...(a.name ? { name: a.name } : {}),
    ...(a.company ? { company: a.company } : {}),
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    ...(a.region ? { region: a.region } : {}),
    ...(a.postcode ? { postcode: a.postcode } : {}),
    country: a.country.toUpperCase(),
    ...(a.phone ? { phone: a.phone } : {}),
  };
}

/** Reads the channel's decimal-string amounts in `currency` as minor units; a bad one is a mapping error at its field. */
export function amountReader(currency: string): (v: unknown, field: string) => number {
  return (v, field) => {
    try {
      return fromDecimalString(String(v ?? '0'), currency).amountMinor;
    } catch {
      throw new ChannelMappingError(field, `${field} is not an amount in ${currency}`);
    }
  };
}
