/** Who did something: a person (by session or API token), a device, a job or the platform itself. */
export interface Actor {
  type: 'user' | 'device' | 'job' | 'system';
  /** Username, device username (`camera:SERIAL`), job name or `platform`. */
  id: string;
  /** For users: whether they acted through a browser session or an API token (and which). */
  via?: 'session' | 'token';
  tokenId?: string;
}

/** What every state change carries so that its audit entry names who did it and in which request. */
export interface ActionContext {
  actor: Actor;
  requestId?: string;
  /**
   * The one station whose things the actor may change (a stores or inspector user with a home
   * station); absent: force-wide (admins, force-wide users, devices, jobs). See auth/station-scope.ts.
   */
  stationScope?: string;
}

export const systemContext: ActionContext = { actor: { type: 'system', id: 'platform' } };
