import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../../../test/support/fixture-server';
import { runShard } from '../../../../../test/support/run-shard';

/**
 * The SSRF guard with ALLOW_PRIVATE_TARGETS off: live fixture servers listen on 127.0.0.1 and ::1,
 * and every loopback spelling aimed at them must be refused before a byte is sent. The same seeds
 * with the guard lifted do reach the servers, so an empty request log means "refused".
 */
const html = (links: string[] = []) => `<html><body><p>hello</p>${links.map((l) => `<a href="${l}">x</a>`).join('')}</body></html>`;

let v4: FixtureServer;
let v6: FixtureServer;
let other: FixtureServer;
let machine: string | null = null;

// A host name the resolver calls public while the system resolver (used to connect) says loopback.
const PUBLIC_IP = '93.184.215.14';
const resolver = async (host: string): Promise<string[]> => {
  if (host === 'fixture.test') return ['127.0.0.1'];
  if (host === machine) return [PUBLIC_IP];
  return [];
};

beforeAll(async () => {
  v4 = await startFixtureServer({ robotsTxt: null, generate: () => html() });
  v6 = await startFixtureServer({ host: '::1', robotsTxt: null, generate: () => html() });
  other = await startFixtureServer({ robotsTxt: null, generate: () => html() });
  const name = hostname();
  const address = await lookup(name).catch(() => null);
  machine = address && /^127\./.test(address.address) ? name : null;
});
afterAll(async () => {
  await Promise.all([v4.close(), v6.close(), other.close()]);
});

type Form = [name: string, url: () => string | null];

const LOOPBACK_FORMS: Form[] = [
  ['IPv6 loopback [::1]', () => `http://[::1]:${v6.port}/`],
  ['IPv4-mapped [::ffff:7f00:1]', () => `http://[::ffff:7f00:1]:${v4.port}/`],
  ['decimal 2130706433', () => `http://2130706433:${v4.port}/`],
  ['hex-short 0x7f.1', () => `http://0x7f.1:${v4.port}/`],
  ['localhost', () => `http://localhost:${v4.port}/`],
  ['127.0.0.1', () => `http://127.0.0.1:${v4.port}/`],
  // Passes the resolver check (it says public), refused at connect by the guarded lookup.
  ['rebinding host name', () => (machine ? `http://${machine}:${v4.port}/` : null)],
];

function loopbackSeeds(): Record<string, string> {
  return Object.fromEntries(LOOPBACK_FORMS.map(([name, url]) => [name, url()]).filter((e): e is [string, string] => e[1] !== null));
}

const guardOn = { allowPrivateTargets: false, resolver };

describe('SSRF guard on every fetch (ALLOW_PRIVATE_TARGETS off)', () => {
  it.for<Form>([
    ...LOOPBACK_FORMS,
    ['name resolving to 127.0.0.1', () => `http://fixture.test:${v4.port}/`],
    ['metadata 169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/'],
    ['file://', () => 'file:///etc/passwd'],
  ])('refuses a %s seed without sending a request', async ([, build], context) => {
    const seed = build();
    if (seed === null) return context.skip();
    v4.reset();
    v6.reset();
    const run = await runShard({ seeds: [seed], options: { respectRobots: true } }, { deps: guardOn });
    expect(v4.requests).toEqual([]);
    expect(v6.requests).toEqual([]);
    expect(run.pages).toEqual([]);
    expect(run.failures.map((f) => f.kind)).toEqual(['ssrf_blocked']);
    expect(run.elapsedMs).toBeLessThan(3_000);
  });

  it('refuses them with respectRobots off too (the page fetch itself is guarded)', async () => {
    v4.reset();
    v6.reset();
    for (const seed of Object.values(loopbackSeeds())) {
      const run = await runShard({ seeds: [seed], options: { respectRobots: false } }, { deps: guardOn });
      expect(run.failures.map((f) => f.kind)).toEqual(['ssrf_blocked']);
    }
    expect(v4.requests).toEqual([]);
    expect(v6.requests).toEqual([]);
  });

  it('control: the same seeds reach the servers when private targets are allowed', async () => {
    for (const [name, seed] of Object.entries(loopbackSeeds())) {
      v4.reset();
      v6.reset();
      const run = await runShard({ seeds: [seed], options: { respectRobots: false } }, { deps: { allowPrivateTargets: true, resolver } });
      expect(run.pages.length, name).toBe(1);
      expect(v4.requests.length + v6.requests.length, name).toBe(1);
    }
  });
});

describe('SSRF guard on every redirect hop', () => {
  it('refuses redirects from an allowed site to loopback, metadata, file: and rebinding names', async () => {
    const targets: Record<string, string> = {
      '/to-other-port': other.url('/'),
      '/to-localhost': `http://localhost:${other.port}/`,
      '/to-v6': `http://[::1]:${v6.port}/`,
      '/to-decimal': `http://2130706433:${other.port}/`,
      '/to-mapped': `http://[::ffff:7f00:1]:${other.port}/`,
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      '/to-file': 'file:///etc/passwd',
      '/to-name': `http://fixture.test:${other.port}/`,
    };
    if (machine) targets['/to-rebinding'] = `http://${machine}:${other.port}/`;
    const allowed = await startFixtureServer({
      robotsTxt: null,
      routes: {
        '/': html(Object.keys(targets)),
        ...Object.fromEntries(Object.entries(targets).map(([path, location]) => [path, { redirect: location }])),
      },
    });
    try {
      other.reset();
      v6.reset();
      const run = await runShard(
        { seeds: [allowed.url('/')], options: { sameDomain: false, maxRetries: 0 } },
        { deps: { ...guardOn, allowedPrivateOrigins: [allowed.origin] } },
      );
      // The allowed origin itself was crawled: the guard is on, not everything is simply unreachable.
      expect(run.pages.map((p) => p.url)).toEqual([allowed.url('/')]);
      expect(allowed.paths().filter((p) => p !== '/robots.txt').sort()).toEqual(['/', ...Object.keys(targets)].sort());
      expect(other.requests).toEqual([]);
      expect(v6.requests).toEqual([]);
      expect(run.failures.map((f) => [new URL(f.url).pathname, f.kind]).sort()).toEqual(Object.keys(targets).map((p) => [p, 'ssrf_blocked']).sort());
    } finally {
      await allowed.close();
    }
  });

  it('control: with private targets allowed the same redirect is followed', async () => {
    const allowed = await startFixtureServer({ robotsTxt: null, routes: { '/': { redirect: other.url('/landing') } } });
    try {
      other.reset();
      const run = await runShard({ seeds: [allowed.url('/')], options: { sameDomain: false } }, { deps: { allowPrivateTargets: true } });
      expect(other.paths()).toContain('/landing');
      expect(run.pages[0]?.finalUrl).toBe(other.url('/landing'));
    } finally {
      await allowed.close();
    }
  });

  it('with sameDomain, a redirect off the site is refused without a request', async () => {
    const allowed = await startFixtureServer({ robotsTxt: null, routes: { '/': { redirect: `http://localhost:${other.port}/landing` } } });
    try {
      other.reset();
      const run = await runShard({ seeds: [allowed.url('/')] }, { deps: { allowPrivateTargets: true } });
      expect(other.requests).toEqual([]);
      expect(run.failures.map((f) => f.kind)).toEqual(['off_site_redirect']);
    } finally {
      await allowed.close();
    }
  });
});
