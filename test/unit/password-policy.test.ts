import { describe, expect, it } from '@jest/globals';
import { passwordWeakness } from '../../src/shared/password-policy.js';

const jones = { username: 'pc.jones', displayName: 'Alex Jones' };

describe('password policy', () => {
  it.each([
    [' '.repeat(12), /repeats characters/],
    ['aaaaaaaaaaaa', /repeats characters/],
    ['abcabcabcabc', /repeats a pattern/],
    ['123456789012', /common password/],
    ['abcdefghijklm', /sequence/],
    ['qwertyuiopasdf', /common password|keyboard/],
    ['password1234', /common password/],
    ['pc.jones.pc.jones', /username/],
    ['alex.jones.police', /username/],
    ['bwvfleet2024!', /product's name/],
  ])('refuses %j: it %s', (password, reason) => {
    expect(passwordWeakness(password, jones)).toMatch(reason);
  });

  it.each([
    'test-admin-password-1',
    'pw-3f9a0c1d2e4b5a6c',
    'a fresh pass phrase 42',
    'kdjfhgqpwoei',
    'police-station-42',
  ])('accepts %j', (password) => {
    expect(passwordWeakness(password, jones)).toBeNull();
  });
});
