// What every capability and the infrastructure share without depending on one another: who may act
// (roles), who acted and where they may act (the action context and station scope), and paging.
export { ROLES, STAFF_ROLES, EVERY_ROLE, type Role } from './roles.js';
export { systemContext, type Actor, type ActionContext } from './action-context.js';
export {
  assertInStationScope,
  inStationScope,
  stationScopeOf,
  STATION_SCOPED_ROLES,
} from './station-scope.js';
export { PageQuery, SearchText, containsText, type Page } from './paging.js';
export { sessionRef } from './session-ref.js';
