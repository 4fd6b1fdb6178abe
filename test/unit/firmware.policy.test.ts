// The versions register as every process holds it in memory (src/firmware/versions.policy.ts):
// which status decides a model's version when an entry names the model and another `*`, and which
// approved version is the latest.
import { describe, expect, it } from '@jest/globals';
import { FirmwarePolicy, type PolicyEntry, type VersionsRepository } from '../../src/firmware/index.js';

/** Entries set one by one (as a process's own writes are): the repository is not read. */
function register(...entries: Array<Omit<PolicyEntry, 'reason'> & { reason?: string }>) {
  const policy = new FirmwarePolicy({} as VersionsRepository);
  for (const e of entries) policy.set(e.kind, e.model, e.version, { reason: '', ...e });
  return policy;
}

describe('the firmware versions register in memory', () => {
  it('applies an entry to its model, and a `*` entry to every model of its kind', () => {
    const p = register(
      { kind: 'camera', model: 'VB400', version: '2.4.1', status: 'approved' },
      { kind: 'camera', model: '*', version: '2.3.0', status: 'blocked', reason: 'bricks' },
    );
    expect(p.status('camera', 'VB400', '2.4.1')).toBe('approved');
    expect(p.status('camera', 'VB300', '2.4.1')).toBe('unreviewed');
    expect(p.status('dock', 'VB400', '2.4.1')).toBe('unreviewed');
    expect(p.status('camera', 'VB300', '2.3.0')).toBe('blocked');
    expect(p.status('camera', null, '2.3.0')).toBe('blocked'); // a device not in the register
    expect(p.status('camera', null, '2.4.1')).toBe('unreviewed');
    expect(p.entry('camera', 'VB300', '2.3.0')).toMatchObject({ model: '*', reason: 'bricks' });
    expect(p.blockedReason('camera', 'VB300', '2.3.0')).toBe('firmware 2.3.0 is blocked');
    expect(p.blockedReason('camera', 'VB300', '2.4.1')).toBeNull();
    expect(p.blockedReason('dock', 'D1', '2.3.0')).toBeNull();
  });

  it('lets a block win over an approval, whichever of the two names the model', () => {
    const p = register(
      { kind: 'camera', model: 'VB400', version: '3.0.0', status: 'approved' },
      { kind: 'camera', model: '*', version: '3.0.0', status: 'blocked', reason: 'recall' },
      { kind: 'camera', model: '*', version: '3.1.0', status: 'approved' },
      { kind: 'camera', model: 'VB400', version: '3.1.0', status: 'blocked', reason: 'VB400 only' },
    );
    expect(p.isBlocked('camera', 'VB400', '3.0.0')).toBe(true);
    expect(p.isBlocked('camera', 'VB400', '3.1.0')).toBe(true);
    expect(p.status('camera', 'VB300', '3.1.0')).toBe('approved');
  });

  it('names the highest approved version by semver, skipping blocked and other models’ ones', () => {
    const p = register(
      { kind: 'camera', model: 'VB400', version: '2.9.0', status: 'approved' },
      { kind: 'camera', model: '*', version: '2.10.0', status: 'approved' },
      { kind: 'camera', model: 'VB400', version: '2.11.0-rc.1', status: 'approved' },
      { kind: 'camera', model: 'VB400', version: '3.0.0', status: 'blocked', reason: 'x' },
      { kind: 'camera', model: 'VB300', version: '4.0.0', status: 'approved' },
      { kind: 'dock', model: '*', version: '9.0.0', status: 'approved' },
    );
    expect(p.latestApproved('camera', 'VB400')).toBe('2.11.0-rc.1');
    expect(p.latestApproved('camera', 'VB300')).toBe('4.0.0');
    expect(p.latestApproved('camera', 'VB500')).toBe('2.10.0');
    expect(p.latestApproved('dock', 'D14')).toBe('9.0.0');
    p.set('camera', '*', '2.11.0-rc.1', {
      kind: 'camera',
      model: '*',
      version: '2.11.0-rc.1',
      status: 'blocked',
      reason: 'x',
    });
    expect(p.latestApproved('camera', 'VB400')).toBe('2.10.0');
  });

  it('forgets a withdrawn entry', () => {
    const p = register({ kind: 'dock', model: 'D14', version: '1.3.0', status: 'blocked', reason: 'x' });
    expect(p.isBlocked('dock', 'D14', '1.3.0')).toBe(true);
    p.set('dock', 'D14', '1.3.0', null);
    expect(p.isBlocked('dock', 'D14', '1.3.0')).toBe(false);
    expect(p.blockedReason('dock', 'D14', '1.3.0')).toBeNull();
    expect(p.list()).toEqual([]);
  });
});
