import { getDomain } from 'tldts';
import { normalizeProfileUrl, normalizeSuppressedEmail } from '../legal/suppression-hash';
import type { LeadKind, LeadPhone } from './lead.types';

/**
 * The identity of a lead inside an org (DESIGN.md §6), as one text column with a unique index on
 * (org_id, dedup_key). The prefix says which rule produced it, so keys of different rules never
 * collide:
 *
 *   person   e:<email>                    the email, lower-cased
 *            p:<profile url>              else the normalized profile URL (see normalizeProfileUrl)
 *            n:<domain>|<name>            else company domain + normalized full name
 *   company  c:<domain>                   the company by its registrable domain
 *            b:<name>|<phone or city>     a directory listing without a website
 *
 * `domain` is the registrable domain (tldts); for a site without one (an IP address, `localhost`)
 * it is the page's host with its port, so two sites on one machine stay apart. A company lead never
 * keys on its email: its email is a role mailbox (info@) that other pages of the same company may
 * not show, and the company is the domain.
 */

export interface DedupFields {
  kind: LeadKind;
  email: string | null;
  profileUrl: string | null;
  fullName: string | null;
  companyName: string | null;
  /** Registrable domain, or the host the lead was found on when there is none. */
  keyDomain: string | null;
  phones: LeadPhone[];
  city: string | null;
}

/** Lower-cased, accents and punctuation removed, single spaces: "José  O'Neil" -> "jose o neil". */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The registrable domain of a URL or host, else its host (with port), else null. */
export function domainKeyOf(urlOrHost: string | null | undefined): string | null {
  if (!urlOrHost) return null;
  const registrable = getDomain(urlOrHost);
  if (registrable) return registrable.toLowerCase();
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrHost) ? urlOrHost : `http://${urlOrHost}`).host.toLowerCase();
    return host || null;
  } catch {
    return null;
  }
}

/** The key of a lead, or null when it cannot be told apart from others (it is then not stored). */
export function dedupKeyFor(lead: DedupFields): string | null {
  const domain = lead.keyDomain?.toLowerCase() ?? null;
  if (lead.kind === 'person') {
    const email = lead.email ? normalizeSuppressedEmail(lead.email) : null;
    if (email) return `e:${email}`;
    const profile = lead.profileUrl ? normalizeProfileUrl(lead.profileUrl) : null;
    if (profile) return `p:${profile}`;
    const name = lead.fullName ? normalizeName(lead.fullName) : '';
    if (domain && name) return `n:${domain}|${name}`;
    return null;
  }
  if (domain) return `c:${domain}`;
  const name = lead.companyName ? normalizeName(lead.companyName) : '';
  if (!name) return null;
  const discriminator = lead.phones[0]?.e164 ?? (lead.city ? normalizeName(lead.city) : '');
  return `b:${name}|${discriminator}`;
}
