// The simulator's command line as someone types it: a mistake gets one line naming it and the usage,
// not a stack trace; `--help` prints the usage.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname, '../..');
const sim = (...args: string[]) => simWith({}, ...args);
const simWith = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['firmware-sim/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ...env },
  });
/** A loopback port nothing listens on (bound, then closed). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
const noTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('npm run sim', () => {
  it('prints the usage for --help', () => {
    const r = sim('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--cameras N, --docks M');
  });

  it('names an unknown option, shows the usage and exits 2', () => {
    const r = sim('--camras', '10');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--camras'/);
    expect(r.stderr).toContain('usage: npm run sim');
    noTrace(r.stderr);
  });

  it('names a bad number before doing anything', () => {
    const r = sim('--rate', 'fast', '--credentials', '/nonexistent/fleet.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^--rate must be a non-negative number \(got "fast"\)/);
    noTrace(r.stderr);
  });

  it('names a bad --fw-fail or an unreadable --trusted-keys before doing anything', () => {
    const bad = sim('--fw-fail', 'corrupt=0.1,explode=0.2', '--credentials', '/nonexistent/fleet.json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^--fw-fail: unknown mode "explode"/);
    const keys = sim('--trusted-keys', '/nonexistent/keys.pem', '--credentials', '/nonexistent/fleet.json');
    expect(keys.status).toBe(2);
    expect(keys.stderr).toMatch(/^--trusted-keys: cannot read \/nonexistent\/keys.pem \(ENOENT\)/);
    noTrace(bad.stderr + keys.stderr);
  });

  it('reports an unreachable platform in one line', () => {
    const r = sim('--cameras', '1', '--docks', '1', '--api', 'http://127.0.0.1:1', '--token', 'bwv_x');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[sim\] stopped: fetch failed \(.*\)/);
    noTrace(r.stderr);
  });

  it("takes the platform's MQTT_PORT, and gives up with a message when nothing answers there", async () => {
    // Issue 19: MQTT_PORT set for the platform did not reach the simulator, which knocked on 1883
    // every second for ever without a word.
    const port = await closedPort();
    const dir = mkdtempSync(path.join(tmpdir(), 'bwv-sim-'));
    try {
      const creds = path.join(dir, 'fleet.json');
      writeFileSync(
        creds,
        JSON.stringify([{ kind: 'camera', id: 'SIMC00001', username: 'camera:SIMC00001', password: 'x' }]),
      );
      const started = Date.now();
      const r = simWith(
        { MQTT_PORT: String(port) },
        ...['--cameras', '1', '--docks', '0', '--credentials', creds, '--give-up', '3'],
      );
      expect(r.status).toBe(1);
      expect(Date.now() - started).toBeLessThan(25_000);
      expect(r.stderr).toContain(`waiting for mqtt://127.0.0.1:${port} (`);
      expect(r.stderr).toMatch(
        new RegExp(
          `stopped: no device could connect to mqtt://127\\.0\\.0\\.1:${port} in 3 s \\(.*ECONNREFUSED`,
        ),
      );
      expect(r.stderr).toContain('MQTT_PORT');
      noTrace(r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
