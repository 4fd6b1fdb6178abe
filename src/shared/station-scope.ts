// Station scoping (issue 14, finding 11): a stores or inspector user with a home station changes
// only that station's things; without one (station: null) they are force-wide, which is how a
// force grants a force-wide stores or inspector role. Admins are always force-wide; the other
// roles (it, auditor, reviewer) keep what their roles allow. Reads stay force-wide.
import type { ActionContext } from './action-context.js';
import { AppError } from '../errors.js';
import type { Role } from './roles.js';

/** The roles whose writes a home station confines to that station. */
export const STATION_SCOPED_ROLES: readonly Role[] = ['stores', 'inspector'];

/** The one station a user may change things at, or undefined when they act force-wide. */
export function stationScopeOf(user: { role: Role; station: string | null }): string | undefined {
  return STATION_SCOPED_ROLES.includes(user.role) && user.station ? user.station : undefined;
}

const outOfStationScope = (station: string, scope: string) =>
  new AppError(
    'out-of-station-scope',
    `Station ${station} is outside your scope: you act for station ${scope} only`,
  );

/**
 * Refuses (403 `out-of-station-scope`) unless every station given is within the actor's scope.
 * Services call it with the stations a write touches, before they change anything.
 */
export function assertInStationScope(ctx: ActionContext, ...stations: string[]): void {
  const scope = ctx.stationScope;
  if (scope === undefined) return;
  const outside = stations.find((s) => s !== scope);
  if (outside !== undefined) throw outOfStationScope(outside, scope);
}

/** Whether the actor may change this station's things (for row-by-row import reports). */
export const inStationScope = (ctx: ActionContext, station: string) =>
  ctx.stationScope === undefined || ctx.stationScope === station;
