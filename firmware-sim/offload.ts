// Simulated docks offload synthetic clips of their docked cameras to the platform (then redacted).
// Camera i sits in dock i mod D, as in the simulator's fleet. Prints one JSON line per clip: dock,
// camera, HTTP status, clip id.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCli, reportFailuresInOneLine } from './cli.js';
import { makeSyntheticClip, offloadClip } from './dock-offload.js';
import { readCredentials } from './provision.js';

const USAGE = `usage: npx tsx firmware-sim/offload.ts --credentials FILE [options]
  npx tsx firmware-sim/offload.ts --api http://127.0.0.1:3000 --credentials fleet.json --clips 1
  FILE holds the device credentials the simulator wrote (npm run sim -- … --credentials FILE).
options:
  --api URL            the platform (http://127.0.0.1:3000)
  --clips N            clips per dock (1)
  --docks N            how many docks offload (all)
  --seconds S          clip length (2)
  --source KIND        photo (faces in a street scene) or testsrc (ffmpeg's test pattern)`;

const {
  values: a,
  num,
  fail,
} = parseCli(USAGE, {
  api: { type: 'string', default: 'http://127.0.0.1:3000' },
  credentials: { type: 'string' },
  clips: { type: 'string', default: '1' },
  docks: { type: 'string' },
  seconds: { type: 'string', default: '2' },
  source: { type: 'string' },
});
const credentials = a.credentials ?? fail('give --credentials FILE');
const source =
  a.source === undefined || a.source === 'photo' || a.source === 'testsrc'
    ? a.source
    : fail('--source is photo or testsrc');
const perDock = num('clips', a.clips);
const seconds = num('seconds', a.seconds);
const dockCount = a.docks === undefined ? null : num('docks', a.docks);
reportFailuresInOneLine('[offload]');
const creds = await readCredentials(credentials);
const byId = (x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id);
const docks = creds.filter((c) => c.kind === 'dock').sort(byId);
const cameras = creds.filter((c) => c.kind === 'camera').sort(byId);
if (docks.length === 0 || cameras.length === 0) fail(`${credentials} has no docks or no cameras`);
const active = docks.slice(0, dockCount ?? docks.length);

const dir = await mkdtemp(path.join(tmpdir(), 'bwv-sim-clips-'));
let failures = 0;
try {
  let variant = Date.now() % 1000; // a fresh run makes fresh clips (new hashes)
  for (const [d, dock] of active.entries()) {
    const docked = cameras.filter((_, i) => i % docks.length === d);
    for (let k = 0; k < perDock && docked.length > 0; k++) {
      const camera = docked[k % docked.length]!;
      const file = path.join(dir, `${dock.id}-${k}.mp4`);
      await makeSyntheticClip(file, {
        seconds,
        variant: variant++,
        ...(source && { source }),
      });
      const recordedTo = new Date(Date.now() - 60_000 * (k + 1));
      const res = await offloadClip({
        api: a.api,
        dock,
        camera: camera.id,
        file,
        recordedFrom: new Date(recordedTo.getTime() - seconds * 1000),
        recordedTo,
      });
      if (res.status >= 300) failures++;
      process.stdout.write(
        `${JSON.stringify({ dock: dock.id, camera: camera.id, status: res.status, clip: res.body.id ?? res.body.type })}\n`,
      );
      await rm(file, { force: true });
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
