import { createHash, createHmac, hkdfSync, type Hash } from 'node:crypto';
import { getDomain } from 'tldts';

/**
 * The global opt-out list (DESIGN.md §8) stores no plaintext: each entry is a keyed hash of the
 * normalized value. The key is derived from ENCRYPTION_KEY with HKDF under its own label, so it is
 * never the key that encrypts secrets, and a leaked table cannot be reversed by hashing guesses
 * without it. Everything here is pure: the opt-out endpoints ([Legal]) and the lead ingest use the
 * same normalization and the same hash, which is what makes a match possible at all.
 */

export const SUPPRESSION_KINDS = ['email', 'profile_url', 'domain'] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

/** HKDF `info` of the suppression key: changing it orphans every stored hash. */
export const SUPPRESSION_KEY_LABEL = 'leadforge:suppression-hash:v1';

export function deriveSuppressionKey(encryptionKey: string): Buffer {
  if (!encryptionKey) throw new Error('ENCRYPTION_KEY is required to hash suppression values');
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), SUPPRESSION_KEY_LABEL, 32));
}

/** Lower-cased, trimmed, `mailto:` dropped; null when it is not shaped like an address. */
export function normalizeSuppressedEmail(value: string): string | null {
  const email = value.trim().replace(/^mailto:/i, '').toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1 || /\s/.test(email)) return null;
  return email;
}

/**
 * Host names compare lower-cased, without a trailing dot, a leading `www.`, a scheme, a path or a
 * port: `https://WWW.Acme.com/about` and `acme.com.` are the same domain.
 */
export function normalizeSuppressedDomain(value: string): string | null {
  let host = value.trim().toLowerCase();
  if (!host) return null;
  if (host.includes('@')) host = host.slice(host.lastIndexOf('@') + 1);
  if (host.includes('/') || host.includes(':')) {
    try {
      host = new URL(host.includes('://') ? host : `http://${host}`).hostname;
    } catch {
      return null;
    }
  }
  host = host.replace(/\.+$/, '').replace(/^www\./, '');
  if (!host || !/^[a-z0-9.[\]-]+$/.test(host) || !host.includes('.')) return null;
  return host;
}

const CASE_SENSITIVE_PATH_HOSTS = new Set(['youtube.com']);

/**
 * A profile URL without what varies between links to the same profile: scheme, `www.`/country
 * sub-domain of LinkedIn, query, fragment, trailing slash, and case (except where the path is
 * case-sensitive, e.g. YouTube channel ids). `https://de.linkedin.com/in/Jane-Doe/?trk=x` becomes
 * `linkedin.com/in/jane-doe`. Null for anything that is not an http(s) URL.
 */
export function normalizeProfileUrl(value: string): string | null {
  let url: URL;
  try {
    const trimmed = value.trim();
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  let host = url.hostname.toLowerCase().replace(/\.+$/, '').replace(/^www\./, '');
  if (!host) return null;
  const registrable = getDomain(host);
  if (registrable === 'linkedin.com') host = 'linkedin.com';
  if (url.port) host = `${host}:${url.port}`;
  let path = url.pathname.replace(/\/+$/, '');
  try {
    path = decodeURI(path);
  } catch {
    // keep the encoded form
  }
  if (!CASE_SENSITIVE_PATH_HOSTS.has(registrable ?? host)) path = path.toLowerCase();
  return `${host}${path}`;
}

export function normalizeSuppressionValue(kind: SuppressionKind, value: string): string | null {
  switch (kind) {
    case 'email':
      return normalizeSuppressedEmail(value);
    case 'profile_url':
      return normalizeProfileUrl(value);
    case 'domain':
      return normalizeSuppressedDomain(value);
  }
}

/** HMAC-SHA256 over `kind:normalized`; the kind is inside the MAC so kinds never collide. */
export function suppressionHash(key: Buffer, kind: SuppressionKind, normalized: string): Buffer {
  return createHmac('sha256', key).update(`${kind}:${normalized}`, 'utf8').digest();
}

export interface SuppressionProbe {
  kind: SuppressionKind;
  hash: Buffer;
}

/** What of a lead an opt-out can name. */
export interface SuppressibleLead {
  email?: string | null;
  profileUrl?: string | null;
  /** Further profile links (socials): opting out a LinkedIn URL covers the lead that lists it. */
  profileLinks?: Array<string | null | undefined>;
  companyDomain?: string | null;
  website?: string | null;
}

const CACHE_LIMIT = 20_000;

/** A bounded memo: cleared when full (cheap, and good enough for values repeated within a crawl). */
class Memo<T> {
  private readonly entries = new Map<string, T>();

  get(key: string, compute: () => T): T {
    let value = this.entries.get(key);
    if (value === undefined) {
      if (this.entries.size >= CACHE_LIMIT) this.entries.clear();
      value = compute();
      this.entries.set(key, value);
    }
    return value;
  }
}

const tag = (kind: SuppressionKind, normalized: string | null): string[] => (normalized === null ? [] : [`${kind}:${normalized}`]);

function hostTargets(host: string | null): string[] {
  if (host === null) return [];
  const registrable = getDomain(host);
  return registrable && registrable !== host ? [...tag('domain', host), ...tag('domain', registrable)] : tag('domain', host);
}

/**
 * Holds the derived key; `probes` lists every hash a lead matches on. A domain opt-out covers the
 * lead's email domain (both the full host and its registrable domain), its company domain and its
 * website's host (and its registrable domain).
 *
 * Ingest hashes every lead of every page, so this is on the hot path: the HMAC's inner and outer
 * SHA-256 states are keyed once and copied per value (the same digest as createHmac, a third of
 * the cost), and normalizations and hashes of values that repeat (a page's company domain and
 * website, a person's profile link listed twice) are memoized.
 */
export class SuppressionHasher {
  private readonly key: Buffer;
  private readonly inner: Hash;
  private readonly outer: Hash;
  private readonly targets = new Memo<string[]>();
  private readonly hashes = new Memo<Buffer>();

  constructor(encryptionKey: string) {
    this.key = deriveSuppressionKey(encryptionKey);
    const innerPad = Buffer.alloc(64, 0x36);
    const outerPad = Buffer.alloc(64, 0x5c);
    for (let index = 0; index < this.key.length; index += 1) {
      innerPad[index]! ^= this.key[index]!;
      outerPad[index]! ^= this.key[index]!;
    }
    this.inner = createHash('sha256').update(innerPad);
    this.outer = createHash('sha256').update(outerPad);
  }

  /** Hash of one value as the opt-out endpoint stores it; null when the value does not normalize. */
  hash(kind: SuppressionKind, value: string): Buffer | null {
    const normalized = normalizeSuppressionValue(kind, value);
    return normalized === null ? null : this.hashTagged(`${kind}:${normalized}`);
  }

  probes(lead: SuppressibleLead): SuppressionProbe[] {
    const tagged = new Set<string>();
    const add = (targets: string[]): void => {
      for (const target of targets) tagged.add(target);
    };
    if (lead.email) {
      const email = normalizeSuppressedEmail(lead.email);
      if (email) {
        tagged.add(`email:${email}`);
        const host = email.slice(email.lastIndexOf('@') + 1);
        add(this.targets.get(`h\0${host}`, () => hostTargets(normalizeSuppressedDomain(host))));
      }
    }
    for (const link of [lead.profileUrl, ...(lead.profileLinks ?? [])]) {
      if (link) add(this.targets.get(`p\0${link}`, () => tag('profile_url', normalizeProfileUrl(link))));
    }
    const companyDomain = lead.companyDomain;
    if (companyDomain) add(this.targets.get(`d\0${companyDomain}`, () => tag('domain', normalizeSuppressedDomain(companyDomain))));
    const website = lead.website;
    if (website) add(this.targets.get(`w\0${website}`, () => hostTargets(normalizeSuppressedDomain(website))));

    const out: SuppressionProbe[] = [];
    for (const target of tagged) {
      const kind = target.slice(0, target.indexOf(':')) as SuppressionKind;
      out.push({ kind, hash: target.startsWith('email:') ? this.hmac(target) : this.hashTagged(target) });
    }
    return out;
  }

  private hashTagged(tagged: string): Buffer {
    return this.hashes.get(tagged, () => this.hmac(tagged));
  }

  /** HMAC-SHA256(key, message), identical to suppressionHash(). */
  private hmac(message: string): Buffer {
    const innerDigest = this.inner.copy().update(message, 'utf8').digest();
    return this.outer.copy().update(innerDigest).digest();
  }
}
