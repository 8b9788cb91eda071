import { parse as parseDomain } from 'tldts';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

export interface CountryHints {
  url: string;
  lang: string | null;
  /** Country named in structured-data addresses (ISO code or name). */
  addressCountry?: string | null;
  /** Calling codes' countries of numbers written in international form on the page. */
  internationalCountries?: CountryCode[] | (() => CountryCode[]);
  text?: string;
}

export interface CountryGuess {
  country: CountryCode;
  signal: 'context' | 'address' | 'tld' | 'lang_region' | 'international_numbers' | 'impressum' | 'lang' | 'default';
}

const TLD_COUNTRY: Record<string, CountryCode> = { uk: 'GB', gb: 'GB' };
const LANG_COUNTRY: Record<string, CountryCode> = {
  de: 'DE', fr: 'FR', nl: 'NL', es: 'ES', it: 'IT', pt: 'PT', pl: 'PL', sv: 'SE', da: 'DK', fi: 'FI', nb: 'NO', no: 'NO',
  cs: 'CZ', ja: 'JP', ko: 'KR', el: 'GR', hu: 'HU', ro: 'RO', tr: 'TR', he: 'IL', en: 'US',
};
const COUNTRY_NAMES: Record<string, CountryCode> = {
  'united states': 'US', usa: 'US', 'united kingdom': 'GB', uk: 'GB', england: 'GB', scotland: 'GB', wales: 'GB',
  'great britain': 'GB', deutschland: 'DE', germany: 'DE', france: 'FR', nederland: 'NL', netherlands: 'NL',
  'the netherlands': 'NL', españa: 'ES', spain: 'ES', australia: 'AU', ireland: 'IE', schweiz: 'CH', switzerland: 'CH',
  österreich: 'AT', austria: 'AT', italia: 'IT', italy: 'IT', canada: 'CA', belgium: 'BE', belgique: 'BE', belgië: 'BE',
};

export function normalizeCountry(value: string | null | undefined): CountryCode | null {
  if (!value) return null;
  const v = value.trim();
  const upper = v.toUpperCase();
  if (upper.length === 2) {
    const code = upper === 'UK' ? 'GB' : upper;
    return isSupportedCountry(code) ? code : null;
  }
  return COUNTRY_NAMES[v.toLowerCase()] ?? null;
}

/** Country of a URL's country-code TLD (example.co.uk -> GB), null for generic TLDs. */
export function countryFromUrl(url: string): CountryCode | null {
  const suffix = parseDomain(url).publicSuffix;
  if (!suffix) return null;
  const last = suffix.split('.').pop() ?? '';
  if (last.length !== 2) return null;
  const mapped = TLD_COUNTRY[last];
  if (mapped) return mapped;
  const upper = last.toUpperCase();
  // .io, .co, .ai, .me, .tv, .fm are used as generic TLDs.
  if (['IO', 'CO', 'AI', 'ME', 'TV', 'FM', 'LY', 'GG', 'SH', 'AC'].includes(upper)) return null;
  return isSupportedCountry(upper) ? upper : null;
}

/**
 * Default region for numbers written in national form. Strongest evidence first: an explicit hint,
 * a structured address, the ccTLD, a regional html lang, the calling codes the page itself uses,
 * a German Impressum, then the bare language.
 */
export function inferCountry(h: CountryHints, hint?: string | null): CountryGuess {
  const fromHint = normalizeCountry(hint);
  if (fromHint) return { country: fromHint, signal: 'context' };
  const fromAddress = normalizeCountry(h.addressCountry);
  if (fromAddress) return { country: fromAddress, signal: 'address' };
  const fromTld = countryFromUrl(h.url);
  if (fromTld) return { country: fromTld, signal: 'tld' };
  const [language, region] = (h.lang ?? '').toLowerCase().split(/[-_]/);
  const fromRegion = normalizeCountry(region);
  if (fromRegion) return { country: fromRegion, signal: 'lang_region' };
  // Computed only when the cheaper signals above are missing.
  const international = typeof h.internationalCountries === 'function' ? h.internationalCountries() : h.internationalCountries;
  if (international && international.length > 0) {
    const counts = new Map<CountryCode, number>();
    for (const c of international) counts.set(c, (counts.get(c) ?? 0) + 1);
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    return { country: best, signal: 'international_numbers' };
  }
  if (h.text && /\bImpressum\b/.test(h.text)) return { country: 'DE', signal: 'impressum' };
  const fromLang = language ? LANG_COUNTRY[language] : undefined;
  if (fromLang) return { country: fromLang, signal: 'lang' };
  return { country: 'US', signal: 'default' };
}
