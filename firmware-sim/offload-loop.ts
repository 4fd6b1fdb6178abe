// Docks offloading footage while the simulator runs (`npm run sim -- … --offload-every S`): every S
// seconds the next dock that holds a camera makes a short synthetic clip of it (dock-offload.ts,
// ffmpeg) and offloads it to the platform with its own device credentials. The first one goes at
// once, so a demo shows a clip within seconds. One at a time: a slow machine falls behind, not over.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeSyntheticClip, offloadClip } from './dock-offload.js';
import type { Credential, RunningFleet } from './runner.js';

export interface OffloadStats {
  offloaded: number;
  failed: number;
  lastError: string | null;
}

export function startOffloads(opts: {
  api: string;
  everyMs: number;
  fleet: Pick<RunningFleet, 'docked'>;
  credentials: Credential[];
  log: (line: string) => void;
}) {
  const docks = new Map(opts.credentials.filter((c) => c.kind === 'dock').map((c) => [c.id, c]));
  const stats: OffloadStats = { offloaded: 0, failed: 0, lastError: null };
  let turn = 0;
  let variant = Date.now() % 1000; // fresh content each run (a clip's hash must be new)
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  async function once() {
    // The next dock in turn, taking its cameras in turn too.
    const pairs = opts.fleet.docked().filter((p) => docks.has(p.dock));
    if (pairs.length === 0) return;
    const byDock = [...new Set(pairs.map((p) => p.dock))];
    const dockId = byDock[turn % byDock.length]!;
    const inDock = pairs.filter((p) => p.dock === dockId);
    const camera = inDock[Math.floor(turn / byDock.length) % inDock.length]!.camera;
    turn++;
    const dir = await mkdtemp(path.join(tmpdir(), 'bwv-sim-clip-'));
    try {
      const file = path.join(dir, 'clip.mp4');
      await makeSyntheticClip(file, { seconds: 2, variant: variant++ });
      const recordedTo = new Date(Date.now() - 60_000);
      const res = await offloadClip({
        api: opts.api,
        dock: docks.get(dockId)!,
        camera,
        file,
        recordedFrom: new Date(recordedTo.getTime() - 2_000),
        recordedTo,
      });
      if (res.status === 201 || res.status === 200) {
        stats.offloaded++;
        opts.log(`dock ${dockId} offloaded a clip of camera ${camera} (clip ${String(res.body.id)})`);
      } else {
        stats.failed++;
        const why = res.body.detail ?? res.body.type;
        stats.lastError = `HTTP ${res.status}${typeof why === 'string' ? ` ${why}` : ''}`;
        opts.log(`dock ${dockId}: offload of camera ${camera} refused (${stats.lastError})`);
      }
    } catch (err) {
      stats.failed++;
      stats.lastError = (err as Error).message;
      opts.log(`dock ${dockId}: offload failed (${stats.lastError})`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const next = (wait: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = once().finally(() => next(opts.everyMs));
    }, wait);
  };
  next(1_000);

  return {
    stats: (): OffloadStats => ({ ...stats }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
