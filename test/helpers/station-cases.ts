// The station dimension of the authorization matrix (issue 14; rules in docs/api.md "Station
// scope"): for every write route that changes a station's things, the request naming the actor's
// own station's thing and the requests reaching into another station. Every write route in the
// platform's table is either here or in STATION_FREE with its reason; the matrix fails otherwise,
// so a new write route cannot slip through unclassified.
import { randomBytes } from 'node:crypto';

/** One station's things, built through the API by an admin. */
export interface StationFixtures {
  station: string;
  /** An active officer who holds no camera. */
  officer: string;
  /** A camera in stock (check-out, corrections). */
  stock: string;
  /** A camera in stock that only the lifecycle actions use (fault, repair, loss, retirement). */
  spare: string;
  /** A camera issued to an officer of this station. */
  issued: string;
  /** A camera in stock that only the transfer cases send. */
  sendable: string;
  dock: string;
  /** The id of a shift at this station. */
  shift: string;
  /** A transfer in transit to this station from the other one, and the camera it carries. */
  incoming: { id: string; camera: string };
}

export interface StationRequest {
  /** Values for the route's `:name` path segments. */
  params?: Record<string, string>;
  /** A JSON body, or `csv` text for the imports. */
  body?: unknown;
  csv?: string;
  /** API paths (after /api/v1) showing what the request would change: read before and after a refusal. */
  shows?: string[];
  /** The station a refusal names, when it is not the other fixture station (a new station). */
  outside?: string;
}

export interface StationCase {
  /**
   * The problem type the first `own` request answers when it cannot succeed even though it is in
   * scope (a station-scoped user's "own" new station already exists). Default: it succeeds.
   */
  ownAnswer?: string;
  /** The request naming `here`'s thing (the actor's home station) and nothing of `there`'s. */
  own(here: StationFixtures, there: StationFixtures): StationRequest;
  /** Requests touching `there`'s things, wholly or in part (a move, a mixed check-out or file). */
  other(here: StationFixtures, there: StationFixtures): StationRequest[];
}

const uid = () => randomBytes(4).toString('hex').toUpperCase();
const NOTE = 'authorization matrix';

/** A camera lifecycle action on one camera: the camera's station is the one judged. */
const onCamera = (body: unknown): StationCase => {
  const req = (serial: string) => ({
    params: { serial },
    body,
    shows: [`/cameras/${serial}`, `/cameras/${serial}/faults`, `/cameras/${serial}/history`],
  });
  return { own: (h) => req(h.spare), other: (_, t) => [req(t.spare)] };
};

const checkout = (camera: string, officer: string): StationRequest => ({
  body: { camera, officer, mode: 'pool' },
  shows: [`/cameras/${camera}`, `/cameras/${camera}/history`, `/officers/${officer}/history`],
});

const newCamera = (station: string): StationRequest => {
  const serial = `MX-${uid()}`;
  return {
    body: { serial, model: 'VB400', assetTag: `AT-${uid()}`, station },
    shows: [`/cameras/${serial}`],
  };
};

/** A delivery manifest with one new camera per station given. */
const manifest = (...stations: string[]): StationRequest => {
  const rows = stations.map((s) => ({ serial: `MX-${uid()}`, assetTag: `AT-${uid()}`, station: s }));
  return {
    csv: [
      'serial,model,assetTag,station',
      ...rows.map((r) => `${r.serial},VB400,${r.assetTag},${r.station}`),
    ].join('\n'),
    shows: rows.map((r) => `/cameras/${r.serial}`),
  };
};

/** An HR export with one new officer per station given. */
const hrExport = (...stations: string[]): StationRequest => {
  const rows = stations.map((s) => ({ number: `MX-${uid()}`, station: s }));
  return {
    csv: ['number,name,station', ...rows.map((r) => `${r.number},Officer ${r.number},${r.station}`)].join(
      '\n',
    ),
    shows: rows.map((r) => `/officers/${r.number}`),
  };
};

let shiftSlot = 0;
/** A distinct start time each call (a shift's id is station, team and start) within today's lists. */
const shiftWindow = () => {
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000 + ++shiftSlot * 60_000);
  return { start: start.toISOString(), end: new Date(start.getTime() + 8 * 3_600_000).toISOString() };
};

/** A roster with one officer on one new shift for each station given. */
const roster = (...at: StationFixtures[]): StationRequest => {
  const { start, end } = shiftWindow();
  return {
    csv: [
      'station,team,start,end,officer',
      ...at.map((f) => `${f.station},MX,${start},${end},${f.officer}`),
    ].join('\n'),
    shows: at.map((f) => `/shifts?station=${f.station}`),
  };
};

export const STATION_CASES: Record<string, StationCase> = {
  // Check-out judges the camera's station and the officer's.
  'POST /api/v1/checkouts': {
    own: (h) => checkout(h.stock, h.officer),
    other: (h, t) => [
      checkout(t.stock, t.officer),
      checkout(h.stock, t.officer),
      checkout(t.stock, h.officer),
    ],
  },
  'POST /api/v1/checkins': {
    own: (h) => ({ body: { camera: h.issued, condition: 'ok' } }),
    other: (_, t) => [
      {
        body: { camera: t.issued, condition: 'ok' },
        shows: [`/cameras/${t.issued}`, `/cameras/${t.issued}/history`],
      },
    ],
  },
  'POST /api/v1/cameras/:serial/faults': onCamera({ condition: 'faulty', notes: NOTE }),
  'POST /api/v1/cameras/:serial/repair': onCamera({ notes: NOTE }),
  'POST /api/v1/cameras/:serial/repaired': onCamera({ notes: NOTE }),
  'POST /api/v1/cameras/:serial/lost': onCamera({ reason: 'lost', details: NOTE }),
  'POST /api/v1/cameras/:serial/retire': onCamera({ reason: NOTE }),

  'POST /api/v1/cameras': { own: (h) => newCamera(h.station), other: (_, t) => [newCamera(t.station)] },
  'PATCH /api/v1/cameras/:serial': {
    own: (h) => ({ params: { serial: h.stock }, body: { notes: NOTE } }),
    other: (_, t) => [{ params: { serial: t.stock }, body: { notes: NOTE }, shows: [`/cameras/${t.stock}`] }],
  },
  // A file reaching into another station is refused as a whole, even with rows of its own.
  'POST /api/v1/cameras/import': {
    own: (h) => manifest(h.station),
    other: (h, t) => [manifest(t.station), manifest(h.station, t.station)],
  },
  'PATCH /api/v1/stations/:code/stock': {
    own: (h) => ({ params: { code: h.station }, body: { minimum: 2 } }),
    other: (_, t) => [
      { params: { code: t.station }, body: { minimum: 2 }, shows: [`/stations/${t.station}/stock`] },
    ],
  },

  // A new station is outside every home station: only force-wide users create stations.
  'POST /api/v1/stations': {
    ownAnswer: '/problems/station-exists',
    own: (h) => ({ body: { code: h.station, name: NOTE } }),
    other: () => {
      const code = `MX${uid()}`;
      return [{ body: { code, name: NOTE }, shows: [`/stations/${code}`], outside: code }];
    },
  },
  'PATCH /api/v1/stations/:code': {
    own: (h) => ({ params: { code: h.station }, body: { name: NOTE } }),
    other: (_, t) => [
      { params: { code: t.station }, body: { name: NOTE }, shows: [`/stations/${t.station}`] },
    ],
  },
  'POST /api/v1/officers': {
    own: (h) => ({ body: { number: `MX-${uid()}`, name: NOTE, station: h.station } }),
    other: (_, t) => {
      const number = `MX-${uid()}`;
      return [{ body: { number, name: NOTE, station: t.station }, shows: [`/officers/${number}`] }];
    },
  },
  // A move judges both the officer's station and the new one.
  'PATCH /api/v1/officers/:number': {
    own: (h) => ({ params: { number: h.officer }, body: { team: 'MX' } }),
    other: (h, t) => [
      { params: { number: t.officer }, body: { team: 'MX' }, shows: [`/officers/${t.officer}`] },
      { params: { number: h.officer }, body: { station: t.station }, shows: [`/officers/${h.officer}`] },
    ],
  },
  'POST /api/v1/officers/import': {
    own: (h) => hrExport(h.station),
    other: (h, t) => [hrExport(t.station), hrExport(h.station, t.station)],
  },

  'POST /api/v1/docks': {
    own: (h) => ({ body: { id: `MX-${uid()}`, station: h.station, slots: 14, model: 'VT-DOCK14' } }),
    other: (_, t) => {
      const id = `MX-${uid()}`;
      return [{ body: { id, station: t.station, slots: 14, model: 'VT-DOCK14' }, shows: [`/docks/${id}`] }];
    },
  },
  'PATCH /api/v1/docks/:id': {
    own: (h) => ({ params: { id: h.dock }, body: { slots: 10 } }),
    other: (h, t) => [
      { params: { id: t.dock }, body: { slots: 10 }, shows: [`/docks/${t.dock}`] },
      { params: { id: h.dock }, body: { station: t.station }, shows: [`/docks/${h.dock}`] },
    ],
  },

  // The sending station sends; the receiving station books the cameras in.
  'POST /api/v1/transfers': {
    own: (h, t) => ({ body: { cameras: [h.sendable], to: t.station } }),
    other: (h, t) => [
      {
        body: { cameras: [t.sendable], to: h.station },
        shows: [
          `/cameras/${t.sendable}`,
          `/transfers?station=${t.station}`,
          `/transfers?station=${h.station}`,
        ],
      },
    ],
  },
  'POST /api/v1/transfers/:id/receive': {
    own: (h) => ({ params: { id: h.incoming.id } }),
    other: (_, t) => [
      {
        params: { id: t.incoming.id },
        shows: [`/transfers/${t.incoming.id}`, `/cameras/${t.incoming.camera}`],
      },
    ],
  },

  'POST /api/v1/shifts': {
    own: (h) => ({ body: { station: h.station, team: 'MX', ...shiftWindow(), officers: [] } }),
    other: (_, t) => [
      {
        body: { station: t.station, team: 'MX', ...shiftWindow(), officers: [t.officer] },
        shows: [`/shifts?station=${t.station}`],
      },
    ],
  },
  'PUT /api/v1/shifts/:id/officers': {
    own: (h) => ({ params: { id: h.shift }, body: { officers: [h.officer] } }),
    other: (_, t) => [
      { params: { id: t.shift }, body: { officers: [t.officer] }, shows: [`/shifts/${t.shift}`] },
    ],
  },
  'POST /api/v1/shifts/import': {
    own: (h) => roster(h),
    other: (h, t) => [roster(t), roster(h, t)],
  },
};

/** Write routes that change no station's things, each with the reason. */
const ROLLOUT_FREE =
  'the rollout programme is force-wide, run by roles never station-scoped (programme lead, board, admin)';

export const STATION_FREE: Record<string, string> = {
  'POST /api/v1/auth/login': 'public: starts a session, changes no station’s things',
  'POST /api/v1/auth/logout': 'ends the caller’s own session',
  'POST /api/v1/auth/tokens': 'a user’s own API tokens',
  'DELETE /api/v1/auth/tokens/:id': 'a user’s own API tokens',
  'POST /api/v1/auth/password': 'a user’s own password',
  'POST /api/v1/users': 'admins only, and admins are always force-wide',
  'PATCH /api/v1/users/:username': 'admins only, and admins are always force-wide',
  'POST /api/v1/audit/reanchor':
    'admins and auditors (never station-scoped) repair the force-wide audit chain',
  'POST /api/v1/clips/:id/review': 'reviewers only, a role that is never station-scoped',
  'PUT /api/v1/clips/:id/evidential': 'reviewers only, a role that is never station-scoped',
  'POST /api/v1/clips/:id/missed-faces': 'reviewers only, a role that is never station-scoped',
  'POST /api/v1/clips/:id/disclosures': 'reviewers and admins, roles that are never station-scoped',
  'POST /api/v1/cameras/:serial/credentials': 'IT (and admins) provision devices force-wide',
  'POST /api/v1/docks/:id/credentials': 'IT (and admins) provision devices force-wide',
  'POST /api/v1/devices/credentials': 'IT (and admins) provision devices force-wide',
  'POST /api/v1/webhooks': 'admins only, and admins are always force-wide',
  'PATCH /api/v1/webhooks/:id': 'admins only, and admins are always force-wide',
  'DELETE /api/v1/webhooks/:id': 'admins only, and admins are always force-wide',
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/replay': 'admins only, and admins are always force-wide',
  'POST /api/v1/firmware/artifacts': 'IT (and admins) manage firmware force-wide',
  'PUT /api/v1/firmware/versions/:kind/:model/:version': 'IT (and admins) manage firmware force-wide',
  'DELETE /api/v1/firmware/versions/:kind/:model/:version': 'IT (and admins) manage firmware force-wide',
  'POST /api/v1/firmware/campaigns/preview':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'POST /api/v1/firmware/campaigns': 'IT and admins (roles never station-scoped) manage firmware force-wide',
  'POST /api/v1/firmware/campaigns/:id/approve':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'POST /api/v1/firmware/campaigns/:id/pause':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'POST /api/v1/firmware/campaigns/:id/resume':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'POST /api/v1/firmware/campaigns/:id/cancel':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'POST /api/v1/firmware/campaigns/:id/rollback':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'PUT /api/v1/firmware/windows/:station':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'DELETE /api/v1/firmware/windows/:station':
    'IT and admins (roles never station-scoped) manage firmware force-wide',
  'POST /api/v1/rollout/phases': ROLLOUT_FREE,
  'POST /api/v1/rollout/reports': ROLLOUT_FREE,
  'POST /api/v1/rollout/reports/:id/publish': ROLLOUT_FREE,
  'PATCH /api/v1/rollout/phases/:id': ROLLOUT_FREE,
  'POST /api/v1/rollout/phases/:id/approve': ROLLOUT_FREE,
  'POST /api/v1/rollout/phases/:id/activate': ROLLOUT_FREE,
  'POST /api/v1/rollout/phases/:id/review': ROLLOUT_FREE,
  'POST /api/v1/rollout/phases/:id/gate': ROLLOUT_FREE,
  'PUT /api/v1/rollout/budget/case': ROLLOUT_FREE,
  'PUT /api/v1/rollout/budget/cost-lines': ROLLOUT_FREE,
  'POST /api/v1/rollout/budget/tranches': ROLLOUT_FREE,
  'POST /api/v1/rollout/budget/savings': ROLLOUT_FREE,
  'POST /api/v1/rollout/budget/spend': ROLLOUT_FREE,
  'POST /api/v1/rollout/concerns': ROLLOUT_FREE,
  'PATCH /api/v1/rollout/concerns/:id': ROLLOUT_FREE,
};
