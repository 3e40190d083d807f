import { loadDefaultRateTables, loadRateCard } from '../../reference/carrier/index.ts';
import { loadDefaultGeoIndex } from '../../reference/geo/index.ts';
import { defaultCrossBorder, type RoutingReference } from './routing.engine.ts';

/** The reference data routing runs on: a rate card (the project's default, or one loaded by path), geo, cross-border rules. */
export function loadRoutingReference(rateCardPath: string | null): RoutingReference {
  return {
    rateTables: rateCardPath ? loadRateCard(rateCardPath) : loadDefaultRateTables(),
    geo: loadDefaultGeoIndex(),
    crossBorder: defaultCrossBorder(),
  };
}
