// Entry point: `npm start`. Loads the configuration, starts the platform, stops it on SIGTERM/SIGINT.
// `npm start -- --role redaction` runs a redaction worker process instead (src/redaction/worker.process.ts).
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startPlatform } from './platform.js';
import { startRedactionProcess } from './redaction/index.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}

const log = createLogger(config.LOG_LEVEL);
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

const role = process.argv[process.argv.indexOf('--role') + 1];
const start = process.argv.includes('--role') && role === 'redaction' ? startRedactionProcess : startPlatform;
const platform = await start(config, log).catch((err: unknown) => {
  // A setting that turned out unusable once read (a key file): said like any other bad setting.
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  log.fatal({ err }, 'could not start');
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => process.exit(1), 10_000).unref();
    // Exit rather than wait for the event loop to empty: agenda leaves a timer of half a job's lock
    // lifetime (up to 5 min) running after each job it ran, even once stopped.
    platform.close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  });
}
