// Seeds a realistic demo force (12 stations, ~1,300 officers, 1,500 cameras, 120 docks) into the
// configured database (the embedded one under DATA_DIR unless MONGODB_URI is set).
// Then the phased rollout of the anchor (scripts/demo-rollout.ts): phases, budget, tranches, spend,
// concerns; a roster of shifts around today (re-run to roll it forward); and a year of the measures' history (readiness and desk days) the report draws on.
// Run: npm run seed:demo   (safe to re-run: each part does nothing if it is there already)
import { loadConfig } from '../src/config.js';
import { startPlatform } from '../src/platform.js';
import { measureRecords, seedRolloutHistory } from '../src/rollout/index.js';
import { ROSTER_DAYS, seedDemo, seedDemoRoster } from './demo-force.js';
import { seedRollout } from './demo-rollout.js';

const config = loadConfig({
  LOG_LEVEL: 'warn',
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  MQTT_PORT: '0',
});
const platform = await startPlatform(config);
try {
  await platform.ready;
  const started = Date.now();
  const summary = await seedDemo(platform.services);
  if (!summary) console.log('The demo force is already there; nothing to do.');
  else
    console.log(
      `Seeded ${summary.stations} stations, ${summary.officers} officers, ${summary.cameras} cameras and ${summary.docks} docks in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  let step = Date.now();
  const took = () => {
    const s = ((Date.now() - step) / 1000).toFixed(1);
    step = Date.now();
    return `${s} s`;
  };
  const rostered = await seedDemoRoster(platform.services);
  console.log(
    rostered > 0
      ? `Rostered ${rostered} shifts (three a day per station, ${ROSTER_DAYS} days either side of today) in ${took()}.`
      : 'The roster around today is already there.',
  );
  took();
  const rollout = await seedRollout(platform.services);
  if (!rollout) console.log('The rollout programme is already there; nothing to do.');
  else
    console.log(
      `Seeded the rollout: ${rollout.phases} phases, £${rollout.released.toLocaleString('en-GB')} released, £${rollout.committed.toLocaleString('en-GB')} committed, £${rollout.spent.toLocaleString('en-GB')} spent, in ${took()}.`,
    );
  took();
  const s = platform.services;
  const history = await seedRolloutHistory({
    history: s.rolloutMeasures.history,
    phases: await s.rolloutPhases.list(),
    officers: await measureRecords(s).officers(),
  });
  console.log(
    `Measures' history: ${history.readinessDays} station-days of readiness, ${history.deskDays} of desk records, in ${took()}.`,
  );
} finally {
  await platform.close();
}
// agenda keeps a 5-minute timer per job that was running when it stopped (its liveness check), so
// the process would linger that long after the platform has closed: exit now, as main.ts does.
process.exit(0);
