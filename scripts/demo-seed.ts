// The whole demo seed in one call: the force (or what of it is missing), the roster around now, the
// phased rollout and the measures' history. Each part adds only what is not there yet, so running it
// again and again is safe (the roster rolls forward to the new today). Used by `npm run seed:demo`
// and `npm run demo`; not run on its own.
import type { Platform } from '../src/platform.js';
import { measureRecords, seedRolloutHistory } from '../src/rollout/index.js';
import { systemContext } from '../src/shared/index.js';
import { DEMO, ROSTER_DAYS, seedDemo, seedDemoRoster, type DemoSize } from './demo-force.js';
import { seedRollout } from './demo-rollout.js';

export async function seedEverything(
  s: Platform['services'],
  opts: { size?: DemoSize; log: (line: string) => void },
): Promise<void> {
  const size = opts.size ?? DEMO;
  let step = Date.now();
  const took = () => {
    const secs = ((Date.now() - step) / 1000).toFixed(1);
    step = Date.now();
    return `${secs} s`;
  };
  const force = await seedDemo(s, systemContext, size);
  const added = force.stations + force.officers + force.cameras + force.docks;
  opts.log(
    added === 0
      ? `The demo force is already there (${force.kept} stations, officers, cameras and docks kept).`
      : `Seeded ${force.stations} stations, ${force.officers} officers, ${force.cameras} cameras and ${force.docks} docks` +
          `${force.kept ? ` (${force.kept} already there, kept)` : ''} in ${took()}.`,
  );
  took();
  const rostered = await seedDemoRoster(s, new Date(), systemContext, size);
  opts.log(
    rostered > 0
      ? `Rostered ${rostered} shifts (three a day per station, ${size.rosterDays ?? ROSTER_DAYS} days either side of today) in ${took()}.`
      : 'The roster around today is already there.',
  );
  took();
  const rollout = await seedRollout(s);
  opts.log(
    !rollout
      ? 'The rollout programme is already there.'
      : `Seeded the rollout: ${rollout.phases} phases, £${rollout.released.toLocaleString('en-GB')} released, £${rollout.committed.toLocaleString('en-GB')} committed, £${rollout.spent.toLocaleString('en-GB')} spent, in ${took()}.`,
  );
  took();
  const history = await seedRolloutHistory({
    history: s.rolloutMeasures.history,
    phases: await s.rolloutPhases.list(),
    officers: await measureRecords(s).officers(),
  });
  opts.log(
    `Measures' history: ${history.readinessDays} station-days of readiness, ${history.deskDays} of desk records, in ${took()}.`,
  );
}
