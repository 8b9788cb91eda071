import { describe, expect, it } from 'vitest';
import { assertAllowedUrl, BlockedTargetError, blockedAddressReason, createGuardedLookup } from './ssrf-guard';

const guardOn = { allowPrivate: false, resolver: async (host: string) => (host === 'rebind.test' ? ['127.0.0.1'] : host === 'public.test' ? ['93.184.215.14'] : host === 'mixed.test' ? ['93.184.215.14', '10.0.0.5'] : []) };

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fc00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['2002:7f00:1::', '6to4'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['192.0.2.10', 'reserved'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::6810:84e5'])('allows public %s', (address) => {
    expect(blockedAddressReason(address)).toBeNull();
  });
});

describe('assertAllowedUrl with the guard on', () => {
  it.each([
    'http://[::1]/',
    'http://[::ffff:7f00:1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://127.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:3000/',
    'http://app.localhost/',
    'http://rebind.test/',
    'http://mixed.test/',
    'file:///etc/passwd',
    'ftp://public.test/',
    'gopher://public.test/',
    'http://user:pw@public.test/',
    'not a url',
    'http://unresolvable.test/',
  ])('refuses %s', async (url) => {
    await expect(assertAllowedUrl(url, guardOn)).rejects.toBeInstanceOf(BlockedTargetError);
  });

  it('allows a public host', async () => {
    await expect(assertAllowedUrl('https://public.test/about', guardOn)).resolves.toBeInstanceOf(URL);
  });

  it('lets ALLOW_PRIVATE_TARGETS reach loopback but still refuses other schemes', async () => {
    await expect(assertAllowedUrl('http://127.0.0.1:8080/', { allowPrivate: true })).resolves.toBeInstanceOf(URL);
    await expect(assertAllowedUrl('file:///etc/passwd', { allowPrivate: true })).rejects.toBeInstanceOf(BlockedTargetError);
  });
});

describe('createGuardedLookup', () => {
  it('refuses a host name that resolves to loopback', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false });
    const error = await new Promise<unknown>((resolve) => lookup('localhost', {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(BlockedTargetError);
  });

  it('passes loopback through when private targets are allowed', async () => {
    const lookup = createGuardedLookup({ allowPrivate: true });
    const address = await new Promise<unknown>((resolve, reject) => lookup('localhost', { family: 4 }, (err, addr) => (err ? reject(err) : resolve(addr))));
    expect(address).toBe('127.0.0.1');
  });
});
