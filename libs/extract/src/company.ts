import { getDomain, parse as parseDomain } from 'tldts';
import type { SocialPlatform, Socials } from '@leadforge/contracts';
import type { Element } from 'domhandler';
import type { PageLink } from './dom';
import { classifySocialLink } from './socials';

export function registrableDomain(url: string): string | null {
  return getDomain(url);
}

export function websiteOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}/`;
  } catch {
    return null;
  }
}

/** Company name from the page's own words: og:site_name, else the title segment that names the site. */
export function companyNameFromPage(title: string, siteName: string | null, domain: string | null): string | null {
  if (siteName) return siteName;
  const segments = title.split(/\s+[|–—·•:-]\s+/).map((s) => s.trim()).filter(Boolean);
  if (segments.length === 0) return null;
  const label = domain ? (parseDomain(domain).domainWithoutSuffix ?? '').replace(/[^a-z0-9]/gi, '').toLowerCase() : '';
  const matching = segments.find((s) => label && s.replace(/[^a-z0-9]/gi, '').toLowerCase().includes(label.slice(0, 5)));
  return matching ?? segments[segments.length - 1];
}

function insideAny(el: Element, containers: Set<Element>): boolean {
  let n: Element | null = el;
  while (n) {
    if (containers.has(n)) return true;
    n = n.parent && n.parent.type === 'tag' ? (n.parent as Element) : null;
  }
  return false;
}

/**
 * One profile per platform for the company. Links inside person cards are the people's. When a
 * platform has several candidates, the one whose handle resembles the company's domain wins, then the
 * most frequent.
 */
export function companySocials(links: PageLink[], sameAs: string[], personCards: Set<Element>, domain: string | null): Socials {
  const label = domain ? (parseDomain(domain).domainWithoutSuffix ?? '').toLowerCase().replace(/[^a-z0-9]/g, '') : '';
  const candidates = new Map<SocialPlatform, Map<string, number>>();
  const add = (href: string, weight: number): void => {
    const s = classifySocialLink(href);
    if (!s || s.personal) return;
    const byUrl = candidates.get(s.platform) ?? new Map<string, number>();
    byUrl.set(s.url, (byUrl.get(s.url) ?? 0) + weight);
    candidates.set(s.platform, byUrl);
  };
  for (const s of sameAs) add(s, 3);
  for (const link of links) {
    if (!/^https?:/i.test(link.href) && !link.href.startsWith('//')) continue;
    if (personCards.size && insideAny(link.el, personCards)) continue;
    add(link.href.startsWith('//') ? `https:${link.href}` : link.href, 1);
  }
  const out: Socials = {};
  for (const [platform, byUrl] of candidates) {
    let best = '';
    let bestScore = -1;
    for (const [url, count] of byUrl) {
      const handle = url.split('/').pop()?.replace(/^@/, '').replace(/[^a-z0-9]/gi, '').toLowerCase() ?? '';
      const similar = label && handle && (handle.includes(label.slice(0, 6)) || label.includes(handle.slice(0, 6))) ? 10 : 0;
      const score = count + similar;
      if (score > bestScore) {
        best = url;
        bestScore = score;
      }
    }
    out[platform] = best;
  }
  return out;
}
