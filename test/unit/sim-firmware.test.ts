// The simulator's firmware failure injection and trusted keys, without I/O: which devices fail is
// fixed by the seed, the shares asked for are the shares drawn, and `--fw-fail` names its mistakes.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { asFirmwareUpdate, drawFailure, parseFwFail, parseTrustedKeys } from '../../firmware-sim/firmware.js';

const keys = Array.from({ length: 5_000 }, (_, i) => `camera:SIMC${String(i + 1).padStart(5, '0')}`);
const rates = { corrupt: 0.1, install: 0.05, vanish: 0.02, 'old-version': 0.03 };
const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;

describe('--fw-fail', () => {
  it('reads the four modes', () => {
    expect(parseFwFail('corrupt=0.02,install=0.01,vanish=0.01,old-version=0.01')).toEqual({
      corrupt: 0.02,
      install: 0.01,
      vanish: 0.01,
      'old-version': 0.01,
    });
    expect(parseFwFail('')).toEqual({});
  });

  it.each([
    ['explode=0.1', /unknown mode "explode"/],
    ['corrupt=2', /corrupt must be a share between 0 and 1 \(got "2"\)/],
    ['corrupt', /corrupt must be a share/],
    ['corrupt=-0.1', /corrupt must be a share/],
    ['corrupt=0.6,install=0.6', /add up to 1.2, more than 1/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseFwFail(spec)).toThrow(message);
  });
});

describe('failure draw', () => {
  it('gives each device the same failure for the same seed, and other devices for another seed', () => {
    const a = keys.map((k) => drawFailure(7, k, rates));
    expect(keys.map((k) => drawFailure(7, k, rates))).toEqual(a);
    const b = keys.map((k) => drawFailure(8, k, rates));
    expect(b).not.toEqual(a);
  });

  it('draws about the shares asked for', () => {
    const drawn = keys.map((k) => drawFailure(3, k, rates));
    for (const [mode, share] of Object.entries(rates)) {
      const got = drawn.filter((m) => m === mode).length / keys.length;
      expect(Math.abs(got - share)).toBeLessThan(0.015);
    }
    expect(drawn.filter((m) => m === null).length / keys.length).toBeCloseTo(0.8, 1);
  });

  it('fails nobody without rates', () => {
    expect(keys.every((k) => drawFailure(1, k, {}) === null)).toBe(true);
  });
});

describe('trusted keys', () => {
  it('takes every Ed25519 key in the PEM and skips other key types', () => {
    const one = generateKeyPairSync('ed25519').publicKey;
    const two = generateKeyPairSync('ed25519').publicKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const found = parseTrustedKeys(`${pem(one)}\n${pem(rsa)}\n${pem(two)}`);
    expect(found.map((k) => k.export({ type: 'spki', format: 'der' }))).toEqual([
      one.export({ type: 'spki', format: 'der' }),
      two.export({ type: 'spki', format: 'der' }),
    ]);
    expect(parseTrustedKeys('')).toEqual([]);
  });
});

describe('firmware-update command', () => {
  const good = {
    commandId: 'c1',
    ts: '2025-01-01T00:00:00Z',
    type: 'firmware-update',
    version: '2.5.0',
    url: 'http://platform/api/v1/firmware/artifacts/abc/download',
    size: 10,
    sha256: 'a'.repeat(64),
    signature: 'c2ln',
  };
  it('takes a well-formed command, refuses one a device could not act on', () => {
    expect(asFirmwareUpdate(good)).toMatchObject({ commandId: 'c1', size: 10 });
    expect(asFirmwareUpdate({ ...good, size: 0 })).toBeNull();
    expect(asFirmwareUpdate({ ...good, sha256: 'xyz' })).toBeNull();
    expect(asFirmwareUpdate({ ...good, url: 'ftp://x/y' })).toBeNull();
    expect(asFirmwareUpdate({ ...good, commandId: undefined })).toBeNull();
  });
});
