// Simulated docks offload synthetic clips of their docked cameras to the platform (then redacted).
//   npx tsx firmware-sim/offload.ts --api http://127.0.0.1:3000 --credentials fleet.json --clips 1
// Reads the device credentials the simulator wrote (npm run sim -- … --credentials fleet.json); camera
// i sits in dock i mod D, as in the simulator's fleet. Options: --clips N (per dock, default 1)
// --docks N (how many docks offload, default all) --seconds S (clip length, default 2)
// --source photo|testsrc. Prints one JSON line per clip: dock, camera, HTTP status, clip id.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeSyntheticClip, offloadClip } from './dock-offload.js';
import { readCredentials } from './provision.js';

const { values: a } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://127.0.0.1:3000' },
    credentials: { type: 'string' },
    clips: { type: 'string', default: '1' },
    docks: { type: 'string' },
    seconds: { type: 'string', default: '2' },
    source: { type: 'string' },
  },
});
if (!a.credentials)
  throw new Error('give --credentials FILE (written by: npm run sim -- … --credentials FILE)');
if (a.source !== undefined && a.source !== 'photo' && a.source !== 'testsrc') {
  throw new Error('--source is photo or testsrc');
}
const creds = await readCredentials(a.credentials);
const byId = (x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id);
const docks = creds.filter((c) => c.kind === 'dock').sort(byId);
const cameras = creds.filter((c) => c.kind === 'camera').sort(byId);
if (docks.length === 0 || cameras.length === 0)
  throw new Error(`${a.credentials} has no docks or no cameras`);
const active = docks.slice(0, a.docks === undefined ? docks.length : Number(a.docks));
const perDock = Number(a.clips);
const seconds = Number(a.seconds);

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
        ...(a.source && { source: a.source }),
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
