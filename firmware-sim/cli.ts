// Command-line handling shared by the simulator's tools: `--help` prints the usage; a bad option or
// value prints one line naming it, then the usage, with exit code 2; no stack traces.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCli<O extends Options>(usage: string, options: O) {
  /** A mistake in how the tool was called: one line naming it, then the usage. */
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n\n${usage}\n`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean' } }, strict: true });
  } catch (err) {
    return fail((err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  /** A non-negative number from option `name`, or the usage error. */
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isFinite(n) || n < 0)
      fail(`--${name} must be a non-negative number (got ${v === undefined ? 'nothing' : `"${v}"`})`);
    return n;
  };
  return { values: parsed.values, num, fail };
}

/**
 * A failure once running (the platform or broker unreachable, a refused token): one line, exit 1.
 * With DEBUG set, the stack trace too (a bug in the tool, not in how it was called).
 */
export function reportFailuresInOneLine(prefix: string) {
  process.on('uncaughtException', (err) => {
    const cause = (err.cause as Error | undefined)?.message;
    process.stderr.write(`${prefix} stopped: ${err.message}${cause ? ` (${cause})` : ''}\n`);
    if (process.env.DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
}
