import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/logger.js';

describe('the logger', () => {
  it('logs an error by type, message and code, without its stack or credentials', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    const err = Object.assign(new Error('database unreachable'), { code: 'ECONNREFUSED' });
    log.error({ err, password: 'hunter2-hunter2' }, 'request failed');

    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry.err).toEqual({ type: 'Error', message: 'database unreachable', code: 'ECONNREFUSED' });
    expect(entry.password).toBe('[redacted]');
    expect(lines[0]).not.toMatch(/stack|\bat .*\.ts:\d+/);
  });
});
