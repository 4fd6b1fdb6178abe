// docs/mqtt.md carries the JSON Schemas of the topic contract; they must be the ones the code
// enforces. Regenerate with `npx tsx scripts/mqtt-contract.ts`.
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contractSchemas } from '../../src/bus/contract.js';

describe('the MQTT contract document', () => {
  it('shows the JSON Schemas the broker enforces', async () => {
    const doc = await readFile(path.resolve(import.meta.dirname, '../../docs/mqtt.md'), 'utf8');
    const documented = new Map(
      [...doc.matchAll(/### (\w+)\n\n[^\n]*\n\n```json\n([\s\S]*?)\n```/g)].map((m) => [
        m[1],
        JSON.parse(m[2]!),
      ]),
    );
    for (const s of contractSchemas()) expect(documented.get(s.name)).toEqual(s.schema);
    expect(documented.size).toBe(contractSchemas().length);
  });
});
