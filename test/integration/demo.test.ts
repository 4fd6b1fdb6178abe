// The README's quick start for a demo, as someone types it: `npm run demo` (the small force, so it
// seeds in seconds; the same command path) on free ports and a data folder of its own. It prints
// where to log in; logging in there, the seeded cameras report (they never had before: a fresh
// folder), a dock offloads a clip, officers on shift now hold cameras and some are at risk. Ctrl-C
// stops everything; a second run on the same folder seeds nothing new, keeps the logins and moves.
// Issue 19, "The demo does not move".
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Demo {
  child: ChildProcess;
  out: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
const t0 = Date.now();
/** Where the time went, printed when the test fails or runs long. */
const steps: string[] = [];
const step = (what: string) => {
  steps.push(`${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);
  if (process.env.DEMO_TEST_STEPS) process.stderr.write(`${steps.at(-1)}\n`);
};

function runDemo(data: string): Demo {
  // Its own process group, as a terminal's: Ctrl-C reaches npm, the demo and the simulator alike.
  const child = spawn('npm', ['run', 'demo', '--', '--small', '--data', data, '--rate', '1'], {
    cwd: root,
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, out: () => out, exit };
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined> | T | null | undefined,
  ms: number,
  demo: Demo,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) {
      step(what);
      return got;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} not seen in ${ms} ms; the demo printed:\n${demo.out()}`);
    await sleep(250);
  }
}

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Ctrl-C in the terminal: SIGINT to the whole process group. The demo says it stopped, and nothing
 * it started is left (the platform, its FerretDB, the simulator). npm itself ends by the signal.
 */
async function ctrlC(demo: Demo) {
  const pid = demo.child.pid!;
  process.kill(-pid, 'SIGINT');
  const exit = await Promise.race([
    demo.exit,
    sleep(30_000).then(() => {
      throw new Error(`npm run demo still running 30 s after Ctrl-C (${steps.join('; ')}):\n${demo.out()}`);
    }),
  ]);
  expect(exit.code === 0 || exit.signal === 'SIGINT').toBe(true);
  await waitFor('every process of the demo gone', () => !groupAlive(pid), 15_000, demo);
  // Usually the demo says "[demo] stopped." after closing the platform; in one CI run of three it
  // was ended by the signal before its handler ran (not yet understood; tsx relays the signal too).
  // What a user must see either way: nothing it started is left running, and no stack trace.
  expect(demo.out()).not.toMatch(/^\s+at /m);
}

async function login(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    signal: AbortSignal.timeout(20_000),
  });
  step(`logged in as ${username}`);
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T>(p: string): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${url}/api/v1/${p}`, { headers: { cookie }, signal: AbortSignal.timeout(20_000) });
    return { status: r.status, body: (await r.json()) as T };
  };
}

/** The URL and the admin's password, from what the demo printed. */
function loginLine(out: string) {
  const url = /\[demo\] ready: (http:\/\/\S+) /.exec(out)?.[1];
  const password = /^ {4}admin +(\S+) +admin$/m.exec(out)?.[1];
  return url && password ? { url: url.replace('localhost', '127.0.0.1'), password } : null;
}

let dir = '';
afterAll(async () => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('seeds its own folder, moves, stops on Ctrl-C and runs again', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bwv-demo-'));
    const data = path.join(dir, 'demo');
    const first = runDemo(data);
    const { url, password } = await waitFor('the login line', () => loginLine(first.out()), 75_000, first);
    expect(first.out()).toMatch(/Seeded 12 stations, 130 officers, 150 cameras and 24 docks/);
    const get = await login(url, 'admin', password);

    // Seeded cameras, never heard from before (a fresh folder), report: issued and in stock alike.
    const cameras = (
      await get<{ items: Array<{ serial: string; status: string; holder: string | null }> }>(
        'cameras?limit=500',
      )
    ).body.items;
    expect(cameras).toHaveLength(150);
    const issued = cameras.filter((c) => c.status === 'issued');
    const sample = [...issued.slice(0, 3), ...cameras.filter((c) => c.status === 'in_stock').slice(0, 3)];
    expect(issued.length).toBeGreaterThan(0);
    for (const c of sample) {
      const state = await waitFor(
        `camera ${c.serial} reporting`,
        async () => {
          const r = await get<{
            online: boolean;
            battery: number | null;
            health: string;
            reportedAssignee: string | null;
            docked: { dock: string } | null;
          }>(`cameras/${c.serial}/state`);
          return r.status === 200 && r.body.online && r.body.battery !== null ? r.body : null;
        },
        30_000,
        first,
      );
      expect(state.health).not.toBe('unknown');
      // As the register has it: issued ones out with their holder, the rest in a dock.
      expect(state.reportedAssignee).toBe(c.holder);
      if (c.status === 'in_stock') expect(state.docked?.dock).toMatch(/^DOCK-/);
    }

    // A dock offloaded a synthetic clip of one of its cameras.
    const clips = await waitFor(
      'an offloaded clip',
      async () => {
        const r = await get<{ total: number; items: Array<{ camera: string; dock: string }> }>('clips');
        return r.body.total > 0 ? r.body : null;
      },
      45_000,
      first,
    );
    expect(clips.items[0]!.dock).toMatch(/^DOCK-[A-Z]{3}-\d\d$/);

    // Officers on shift now, most with a camera; some at risk (no camera, or storage full).
    const stations = (await get<Array<{ code: string }>>('stations')).body.map((s) => s.code);
    type Row = { officer: string; camera: string | null; rag: string; reasons: string[] };
    const boards = await waitFor(
      'a camera at risk on a readiness board',
      async () => {
        const rows = (
          await Promise.all(
            stations.map(
              async (code) =>
                (await get<{ officers: Row[]; outOfScope: Row[] }>(`stations/${code}/readiness`)).body,
            ),
          )
        ).flatMap((b) => [...b.officers, ...b.outOfScope]);
        // A camera the simulator started at risk: the board says why, in the camera's own terms.
        const atRisk = rows.some((r) => r.camera && r.reasons.some((x) => /storage|battery/.test(x)));
        return atRisk ? rows : null;
      },
      30_000,
      first,
    );
    expect(boards.length).toBeGreaterThan(0);
    expect(boards.filter((r) => r.camera).length).toBeGreaterThan(boards.length / 2);
    expect(boards.some((r) => r.reasons.includes('no camera issued'))).toBe(true);

    await ctrlC(first);

    // Again on the same folder: nothing refused, nothing seeded twice, the same logins, moving.
    const second = runDemo(data);
    const again = await waitFor('the login line again', () => loginLine(second.out()), 45_000, second);
    expect(second.out()).toMatch(/The demo force is already there/);
    expect(again.password).toBe(password);
    const get2 = await login(again.url, 'admin', password);
    expect((await get2<{ total: number }>('cameras?limit=1')).body.total).toBe(150);
    await waitFor(
      'the simulator connected again',
      async () => (await get2<{ online: boolean }>(`cameras/${issued[0]!.serial}/state`)).body.online,
      30_000,
      second,
    );
    await ctrlC(second);
  }, 170_000);
});
