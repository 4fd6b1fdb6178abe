// Problem types are declared once (src/shared/problem-types.ts): AppError takes its status and title
// from there, a slug nobody declared does not compile, and the web app's files that import server
// modules are inputs of its build, so the dashboard is rebuilt when a declaration changes.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, notFound, toProblem } from '../../src/errors.js';
import { PROBLEM_SLUGS, PROBLEM_TYPES, statusOfProblem } from '../../src/shared/problem-types.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('problem types', () => {
  it('give every AppError its declared status and title', () => {
    const e = new AppError('camera-already-issued', "Camera 'C1' is issued to someone else");
    expect(toProblem(e, '/api/v1/checkouts')).toEqual({
      type: '/problems/camera-already-issued',
      title: 'Camera is already issued',
      status: 409,
      detail: "Camera 'C1' is issued to someone else",
      instance: '/api/v1/checkouts',
    });
    expect(notFound('camera', 'C9')).toMatchObject({ type: 'camera-not-found', status: 404 });
    for (const slug of PROBLEM_SLUGS) {
      expect(new AppError(slug).status).toBe(statusOfProblem(slug));
      expect(new AppError(slug).title).toBe(PROBLEM_TYPES[slug].title);
      expect(slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  it('refuse a slug nobody declared, at compile time', () => {
    // tsc --noEmit checks these lines: without the directive they fail the type-check.
    // @ts-expect-error a mistyped slug
    const mistyped = () => new AppError('camera-alredy-issued');
    // @ts-expect-error a thing the register does not have
    const unknownThing = () => notFound('widget', 'W1');
    expect(mistyped).toThrow();
    expect(unknownThing).toThrow();
  });

  it('are among the web build’s inputs wherever the web imports server modules', () => {
    const script = readFileSync(path.join(root, 'scripts/build-web.sh'), 'utf8');
    const imported = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name)) {
          for (const m of readFileSync(file, 'utf8').matchAll(/from '((?:\.\.\/)+src\/[^']+)\.js'/g)) {
            imported.add(path.relative(root, path.resolve(path.dirname(file), `${m[1]!}.ts`)));
          }
        }
      }
    };
    walk(path.join(root, 'web/src'));
    expect(imported.size).toBeGreaterThan(5);
    // The script watches all of src/ (imported modules import more), so every one is an input.
    expect(script).toMatch(/inputs=\$\(find [^\n]* src [^\n]*-newer/);
    expect([...imported].filter((f) => !f.startsWith('src/'))).toEqual([]);
  });
});
