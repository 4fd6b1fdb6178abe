// Seeds a realistic demo force (12 stations, ~1,300 officers, 1,500 cameras, 120 docks) into the
// configured database (the embedded one under DATA_DIR unless MONGODB_URI is set).
// Then the phased rollout of the anchor (scripts/demo-rollout.ts): phases, budget, tranches, spend,
// concerns; a roster of shifts around today (re-run to roll it forward); and a year of the measures' history (readiness and desk days) the report draws on.
// Run: npm run seed:demo [-- --small]   (safe to re-run: it adds only what is missing, keeps the rest)
// `npm run demo` does this into its own data folder, then runs the platform and the simulator.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { startPlatform } from '../src/platform.js';
import { DEMO, DEMO_SMALL } from './demo-force.js';
import { seedEverything } from './demo-seed.js';

const { values } = parseArgs({ options: { small: { type: 'boolean', default: false } } });
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
  await seedEverything(platform.services, {
    size: values.small ? DEMO_SMALL : DEMO,
    log: (line) => console.log(line),
  });
} finally {
  await platform.close();
}
// agenda keeps a 5-minute timer per job that was running when it stopped (its liveness check), so
// the process would linger that long after the platform has closed: exit now, as main.ts does.
process.exit(0);
