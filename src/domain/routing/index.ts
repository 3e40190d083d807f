/**
 * Distributed order routing: which location(s) should fulfil an order. Pure: stock, distances, capacity and a
 * quote function come in; a decision with its explanation comes out.
 */
export { route, reroute, routeClosestWithStock, RoutingInputError } from './route.ts';
export {
  DEFAULT_PROFILE,
  defineProfile,
  matchingProfiles,
  profileChanges,
  profileFacts,
  profilesInPriorityOrder,
  selectProfile,
  validateProfile,
  type ProfileChange,
  type ProfileDraft,
} from './profile.ts';
export { TIE_BREAK_RULE } from './plan.ts';
export { availableAt, compareCodeThenId, HAZMAT_TAG, SECURE_TAG } from './instance.ts';
export * from './types.ts';
