import type { SocialPlatform } from '@leadforge/contracts';

export interface SocialLink {
  platform: SocialPlatform;
  url: string;
  /** true for a person's profile (linkedin.com/in/...), false for a company page. */
  personal: boolean;
}

const RESERVED: Record<SocialPlatform, Set<string>> = {
  linkedin: new Set(),
  twitter: new Set(['intent', 'share', 'home', 'search', 'hashtag', 'i', 'privacy', 'tos', 'login', 'signup', 'settings', 'explore', 'notifications', 'messages', 'about', 'twitter', 'x', 'widgets', 'jobs']),
  facebook: new Set(['sharer', 'sharer.php', 'share', 'share.php', 'dialog', 'plugins', 'policies', 'privacy', 'login', 'help', 'facebook', 'groups', 'events', 'watch', 'marketplace', 'gaming', 'legal', 'terms', 'business', 'ads', 'pages', 'photo.php', 'tr', 'l.php', 'hashtag']),
  instagram: new Set(['p', 'explore', 'accounts', 'about', 'reel', 'reels', 'stories', 'instagram', 'legal', 'developer', 'direct', 'tv']),
  youtube: new Set(['watch', 'embed', 'results', 'shorts', 'playlist', 'feed', 'youtube', 'about', 't', 'account', 'premium', 'redirect', 'share', 'live', 'howyoutubeworks']),
  github: new Set(['features', 'about', 'pricing', 'login', 'join', 'sponsors', 'topics', 'marketplace', 'settings', 'explore', 'trending', 'collections', 'events', 'enterprise', 'team', 'customer-stories', 'security', 'site', 'contact', 'github', 'orgs', 'apps', 'search', 'readme', 'new', 'notifications', 'pulls', 'issues', 'codespaces', 'solutions', 'resources', 'open-source', 'premium-support']),
  tiktok: new Set(),
};

function platformOf(host: string): SocialPlatform | null {
  const h = host.toLowerCase().replace(/^(www|m|mobile|[a-z]{2}|[a-z]{2}-[a-z]{2})\./, '');
  if (h === 'linkedin.com') return 'linkedin';
  if (h === 'twitter.com' || h === 'x.com') return 'twitter';
  if (h === 'facebook.com' || h === 'fb.com') return 'facebook';
  if (h === 'instagram.com') return 'instagram';
  if (h === 'youtube.com') return 'youtube';
  if (h === 'github.com') return 'github';
  if (h === 'tiktok.com') return 'tiktok';
  return null;
}

const HANDLE_RE = /^[A-Za-z0-9_.-]{1,100}$/;
const SOCIAL_HOST_HINT = /linkedin\.com|twitter\.com|x\.com|facebook\.com|fb\.com|instagram\.com|youtube\.com|github\.com|tiktok\.com/i;

/**
 * Canonical profile URL for a link to a social platform, or null for anything that is not a
 * profile: share/intent/sharer links, posts, the platform's own pages.
 */
export function classifySocialLink(href: string): SocialLink | null {
  // Most links on a page point elsewhere: a substring test is far cheaper than parsing each URL.
  if (!SOCIAL_HOST_HINT.test(href)) return null;
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const platform = platformOf(u.hostname);
  if (!platform) return null;
  const segs = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponentSafe(s));
  if (segs.length === 0) return null;
  const first = segs[0].toLowerCase();
  if (RESERVED[platform].has(first)) return null;
  switch (platform) {
    case 'linkedin': {
      if ((first === 'company' || first === 'school' || first === 'showcase') && segs[1] && HANDLE_RE.test(segs[1])) {
        return { platform, url: `https://www.linkedin.com/${first}/${segs[1].toLowerCase()}`, personal: false };
      }
      if (first === 'in' && segs[1] && HANDLE_RE.test(segs[1])) {
        return { platform, url: `https://www.linkedin.com/in/${segs[1].toLowerCase()}`, personal: true };
      }
      return null;
    }
    case 'twitter': {
      if (segs.length > 1 && segs[1] !== 'with_replies') return null;
      const handle = segs[0].replace(/^@/, '');
      return /^[A-Za-z0-9_]{1,15}$/.test(handle) ? { platform, url: `https://x.com/${handle.toLowerCase()}`, personal: false } : null;
    }
    case 'facebook': {
      if (first === 'profile.php') {
        const id = u.searchParams.get('id');
        return id && /^\d+$/.test(id) ? { platform, url: `https://www.facebook.com/profile.php?id=${id}`, personal: false } : null;
      }
      if (segs.length > 1 && !['about', 'reviews', 'photos', 'posts'].includes(segs[1].toLowerCase())) return null;
      return HANDLE_RE.test(segs[0]) ? { platform, url: `https://www.facebook.com/${segs[0].toLowerCase()}`, personal: false } : null;
    }
    case 'instagram': {
      if (segs.length > 1) return null;
      return /^[A-Za-z0-9_.]{1,30}$/.test(segs[0]) ? { platform, url: `https://www.instagram.com/${segs[0].toLowerCase()}`, personal: false } : null;
    }
    case 'youtube': {
      if (segs[0].startsWith('@')) return { platform, url: `https://www.youtube.com/${segs[0].toLowerCase()}`, personal: false };
      if ((first === 'channel' || first === 'c' || first === 'user') && segs[1] && HANDLE_RE.test(segs[1])) {
        return { platform, url: `https://www.youtube.com/${first}/${first === 'channel' ? segs[1] : segs[1].toLowerCase()}`, personal: false };
      }
      return null;
    }
    case 'github': {
      if (segs.length > 1) return null;
      return /^[A-Za-z0-9-]{1,39}$/.test(segs[0]) ? { platform, url: `https://github.com/${segs[0].toLowerCase()}`, personal: false } : null;
    }
    case 'tiktok': {
      if (!segs[0].startsWith('@') || segs.length > 1) return null;
      return { platform, url: `https://www.tiktok.com/${segs[0].toLowerCase()}`, personal: false };
    }
  }
  return null;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
