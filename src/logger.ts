// One pino logger for the process; modules take children of it.
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Errors are logged by type, message and code, never with their stack (or its file paths). */
export const errWithoutStack = (err: Error) => {
  const { stack: _stack, ...rest } = stdSerializers.err(err);
  return rest;
};

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'bwv-fleet' },
    serializers: { err: errWithoutStack },
    // Belt and braces: never write credentials even if an object carrying them is logged.
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
