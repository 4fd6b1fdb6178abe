// Where a webhook may go: the address classes refused unless WEBHOOK_ALLOW_LOOPBACK=true, and the
// private ranges a force's own systems live in, always allowed.
import { describe, expect, it } from '@jest/globals';
import { refusal, resolveDestination } from '../../src/webhooks/address-guard.js';

describe('webhook address guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
  ])('refuses %s (%s) unless loopback is allowed', (address, range) => {
    expect(refusal(address, false)).toBe(`${address} is a ${range} address`);
    expect(refusal(address, true)).toBeNull();
  });

  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    'fd00:ec2::254',
    '8.8.8.8',
    '2001:db8::1',
  ])('allows %s', (address) => expect(refusal(address, false)).toBeNull());

  it('checks IP literals without DNS, and only http and https', async () => {
    await expect(resolveDestination(new URL('http://[::ffff:a9fe:a9fe]/'), false)).rejects.toThrow(
      /linkLocal/,
    );
    await expect(resolveDestination(new URL('http://10.0.0.1:8080/x'), false)).resolves.toEqual([
      { address: '10.0.0.1', family: 4 },
    ]);
    await expect(resolveDestination(new URL('ftp://10.0.0.1/x'), true)).rejects.toThrow(/ftp/);
  });

  it('checks every address a name resolves to', async () => {
    // localhost resolves to loopback addresses only.
    await expect(resolveDestination(new URL('http://localhost/'), false)).rejects.toThrow(/loopback/);
  });
});
