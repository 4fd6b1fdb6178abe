// The simulator's command line as someone types it: a mistake gets one line naming it and the usage,
// not a stack trace; `--help` prints the usage.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname, '../..');
const sim = (...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['firmware-sim/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
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
});
