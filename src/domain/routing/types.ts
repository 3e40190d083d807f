/**
 * Public types of the routing optimiser: "which location(s) should fulfil this order".
 * Everything the decision depends on comes in through `RoutingInput` (no clock, no I/O, no randomness), so the
 * same input always yields the same decision, and a past decision can be replayed against a changed profile.
 */
import type { RulesLogic, AdditionalOperation } from 'json-logic-js';

export type LocationType = 'warehouse' | 'store' | '3pl' | 'dropship' | 'factory_fc';
export const LOCATION_TYPES: readonly LocationType[] = ['warehouse', 'store', '3pl', 'dropship', 'factory_fc'];

export interface RoutingLine {
  lineId: string;
  skuId: string;
  qty: number;
  unitWeightGrams: number;
  unitValueMinor: number;
  hazmat: boolean;
}

export interface RoutingOrder {
  channel: string;
  destination: { country: string; postcode?: string; lat?: number; lon?: number };
  /** e.g. 'standard' | 'express' | 'next_day' */
  serviceLevel: string;
  orderValueMinor: number;
  currency: string;
  tags: readonly string[];
  /** ISO date */
  requestedDeliveryDate?: string;
  lines: readonly RoutingLine[];
}

export interface CandidateLocation {
  locationId: string;
  code: string;
  type: LocationType;
  active: boolean;
  feedsChannel: boolean;
  country: string;
  tags: readonly string[];
  /** lower = preferred (the network's own ranking) */
  priority: number;
  /** precomputed by the caller (haversine), null if unknown */
  distanceKm: number | null;
  /** orders it can still take today */
  remainingCapacity: number;
  /** per shipment */
  handlingCostMinor: number;
  /**
   * skuId -> units available to this channel at this location (already net of reservations). A Map is read
   * fastest (every location's record has its own set of keys, so keyed reads of plain objects stay slow).
   */
  available: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
}

/** Quote for shipping some lines from one location to the order's destination. */
export interface ShipmentQuote {
  serviceCode: string;
  carrierCostMinor: number;
  landedCostMinor: number;
  transitDays: number;
  lateDays: number;
  shipBy?: string;
  deliveryDate?: string;
}

/**
 * Carrier rating + promise + landed cost, supplied by the caller. null = cannot ship that content from there.
 * The optimiser calls it at most once per (location, line quantities) within one decision. Its costs are
 * assumed to be >= 0 (negative values are treated as 0).
 */
export type QuoteShipment = (
  locationId: string,
  lines: ReadonlyArray<{ lineId: string; qty: number }>,
) => ShipmentQuote | null;

/** Minor units per unit taken from a location: the value of keeping that unit there (Acimovic & Graves). */
export type FutureValue = (locationId: string, skuId: string) => number;

/** A JsonLogic rule over `ProfileFacts`. */
export type JsonLogicRule = RulesLogic<AdditionalOperation>;

/** The plain object profile conditions are evaluated against. */
export interface ProfileFacts {
  channel: string;
  serviceLevel: string;
  country: string;
  postcode: string | null;
  tags: readonly string[];
  orderValueMinor: number;
  currency: string;
  lineCount: number;
  units: number;
  hasHazmat: boolean;
}

export type WhenNothingFits = 'backorder' | 'next_profile' | 'hold';

/**
 * How hard the optimiser searches on instances too large to search exactly at once (small ones are always
 * searched exactly). 'balanced': the heuristic with every start (the default). 'fast': without its two greedy
 * starts (~10–24% more decisions per second on 10 lines x 20 locations, ~0.4% higher total cost measured).
 * 'optimal': branch and bound within its node budget on every instance, the heuristic's plan as the incumbent
 * (proves the optimum on most 10 x 20 instances, milliseconds a decision: for high-value or B2B orders).
 */
export type SearchLevel = 'fast' | 'balanced' | 'optimal';
export const SEARCH_LEVELS: readonly SearchLevel[] = ['fast', 'balanced', 'optimal'];

/** Hard constraints: a location (or, for hazmat, a line at a location) that breaks one is never used. */
export interface ProfileConstraints {
  /** only locations that can ship every line in full, as one shipment */
  readonly shipComplete: boolean;
  /** maximum number of shipments (locations) for the order; 1 = single-location allocation */
  readonly maxSplits: number;
  /** a line's quantity may come from several locations, only when no single allowed location has all of it */
  readonly allowLineSplit: boolean;
  /** origin country must equal the destination country whenever an in-market location can serve */
  readonly stayInMarket: boolean;
  /** destination country (or '*') -> origin countries allowed to ship there; no entry = any origin */
  readonly allowedOriginCountries: Readonly<Record<string, readonly string[]>>;
  /** hazmat lines only from locations tagged `hazmat-licensed` */
  readonly hazmatRequiresLicense: boolean;
  /** orders worth more than this only from locations tagged `secure`; null = no threshold */
  readonly highValueThresholdMinor: number | null;
  /** a location must carry every one of these tags */
  readonly requiredLocationTags: readonly string[];
  /** a location carrying any of these tags is excluded */
  readonly excludedLocationTags: readonly string[];
  readonly excludedLocationTypes: readonly LocationType[];
  /** null = no limit; with a limit, a location of unknown distance is excluded */
  readonly maxDistanceKm: number | null;
  /** exclude locations whose remainingCapacity <= 0 */
  readonly respectCapacity: boolean;
}

/** Multipliers (>= 0) of each cost component. */
export interface CostWeights {
  readonly carrier: number;
  readonly handling: number;
  readonly splitPenalty: number;
  readonly landed: number;
  readonly lateness: number;
  readonly futureValue: number;
}

export interface DistanceBand {
  readonly maxKm: number;
  readonly penaltyMinor: number;
}

export interface ProfilePenalties {
  /** per shipment beyond the first */
  readonly splitMinor: number;
  /** per late day (quote.lateDays), by service level; '*' = any other service level */
  readonly latenessPerDayMinor: Readonly<Record<string, number>>;
  /**
   * Per shipment: the penalty of the first band whose maxKm >= the location's distance (ascending maxKm).
   * Beyond the last band, or distance unknown: the last band's penalty. Empty = no distance penalty.
   */
  readonly distanceBands: readonly DistanceBand[];
}

/** Soft preferences, as per-shipment penalties in minor units (so "preferred" = the others cost more). */
export interface ProfilePreferences {
  /** location codes or ids, best first; a shipment from rank r costs r * rankStepMinor, unranked = length * step */
  readonly rankedLocations: readonly string[];
  readonly rankStepMinor: number;
  /** location codes or ids; a shipment from any other location costs preferredBonusMinor more */
  readonly preferredLocations: readonly string[];
  readonly preferredBonusMinor: number;
  /** a shipment costs candidate.priority * this (use the network's own location ranking) */
  readonly locationPriorityStepMinor: number;
  /** per shipment, by location type (e.g. prefer warehouses over stores) */
  readonly locationTypePenaltyMinor: Readonly<Partial<Record<LocationType, number>>>;
}

/** A routing profile: data, versioned, selected by conditions on the order. */
export interface RoutingProfile {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  /** lower is tried first */
  readonly priority: number;
  readonly active: boolean;
  /** JsonLogic over ProfileFacts; null = every order */
  readonly conditions: JsonLogicRule | null;
  readonly constraints: ProfileConstraints;
  readonly weights: CostWeights;
  readonly penalties: ProfilePenalties;
  readonly preferences: ProfilePreferences;
  readonly whenNothingFits: WhenNothingFits;
  /** absent (profiles saved before the setting existed) = 'balanced' */
  readonly search?: SearchLevel;
}

export interface RoutingInput {
  order: RoutingOrder;
  candidates: readonly CandidateLocation[];
  profiles: readonly RoutingProfile[];
  quote: QuoteShipment;
  /** default: () => 0 */
  futureValue?: FutureValue;
  /** for tests and benchmarks: force the search method (default: chosen by instance size) */
  forceMethod?: 'exact' | 'heuristic';
}

export interface CostComponents {
  carrier: number;
  handling: number;
  splitPenalty: number;
  landed: number;
  lateness: number;
  futureValue: number;
  /** distance-band penalties */
  distance: number;
  /** ranked / preferred / priority / location-type penalties */
  preference: number;
}

export type ExclusionRule =
  | 'rejected_by_location'
  | 'inactive'
  | 'not_feeding_channel'
  | 'excluded_location_type'
  | 'missing_required_tag'
  | 'excluded_location_tag'
  | 'origin_country_not_allowed'
  | 'high_value_requires_secure'
  | 'capacity_exhausted'
  | 'max_distance'
  | 'no_stock'
  | 'hazmat_not_licensed'
  | 'cannot_ship_complete'
  | 'stay_in_market';

export type UnallocatedReason =
  | 'out_of_stock'
  | 'no_eligible_location'
  | 'hazmat_requires_licensed_location'
  | 'insufficient_stock'
  | 'line_split_not_allowed'
  | 'max_splits_reached'
  | 'no_carrier_service'
  | 'cannot_ship_complete';

export interface CandidateScore {
  /** 'chosen_plan': this location's shipment in the decision; 'single_location': what it could ship alone */
  basis: 'chosen_plan' | 'single_location';
  lines: number;
  units: number;
  /** shipment cost (chosen_plan) or whole single-location plan cost; null = the quote said it cannot ship */
  costMinor: number | null;
  components: CostComponents | null;
  serviceCode?: string;
  transitDays?: number;
  lateDays?: number;
  /** single_location: its cost minus the decision's total (meaningful when units are equal) */
  vsChosenMinor?: number;
  /** lines this location holds stock for but may not ship (e.g. hazmat at an unlicensed site) */
  ineligibleLines?: Array<{ lineId: string; rule: 'hazmat_not_licensed' }>;
}

export interface CandidateReport {
  locationId: string;
  code: string;
  excluded: null | { rule: ExclusionRule; detail: string };
  score?: CandidateScore;
  chosen: boolean;
}

export interface DecisionShipment {
  locationId: string;
  code: string;
  lines: Array<{ lineId: string; skuId: string; qty: number }>;
  quote: ShipmentQuote;
  /** this shipment's share: everything but the split penalty */
  costMinor: number;
  components: CostComponents;
}

export interface RoutingDecision {
  /** partial = some units unallocated (the caller back-orders them) */
  outcome: 'routed' | 'partial' | 'backorder' | 'hold';
  profile: { id: string; version: number; name: string };
  /** 'baseline' only for routeClosestWithStock */
  method: 'exact' | 'heuristic' | 'baseline';
  shipments: DecisionShipment[];
  unallocated: Array<{ lineId: string; skuId: string; qty: number; reason: UnallocatedReason; detail: string }>;
  totalCostMinor: number;
  costComponents: CostComponents;
  candidates: CandidateReport[];
  /** why the winner won */
  explanation: string;
  /** the stated tie rule */
  tieBreak: string;
  units: { requested: number; allocated: number };
  /** profiles tried before the one used (whenNothingFits: 'next_profile') */
  profileTrail: Array<{ id: string; version: number; result: string }>;
  stats: { quoteCalls: number; nodes: number };
  reroute?: { rejectedLocationIds: string[]; rejectedUnits: number; keptShipments: number };
}

export interface RejectedShipment {
  locationId: string;
  lines: ReadonlyArray<{ lineId: string; qty: number }>;
}
