import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { PhoneType } from '@leadforge/contracts';

export type PhoneSource = 'tel' | 'text' | 'structured';

export interface PhoneFinding {
  e164: string;
  type: PhoneType;
  country: string | null;
  source: PhoneSource;
}

// A run of digits with the separators people put in phone numbers; dates, prices and ids are
// weeded out afterwards by shape and by the words in front of them.
const CANDIDATE_RE = /(?:\+|\b00)?\(?\d[\d \u00a0\t().\/\u2013\u2011-]{4,24}\d(?:\s*(?:ext\.?|x|Durchwahl|DW)\s*\d{1,5})?/g;
const PHONE_WORDS =
  /(?:\btel\b|\btel\.|telefon|telephone|téléphone|\btél\b|telefoon|teléfono|\bphone\b|\bphones\b|\bfon\b|\bcall\b|\bmobil|\bmobile\b|\bcell\b|\bhandy\b|\bmóvil\b|\bportable\b|\bgsm\b|\bfax\b|telefax|\bhotline\b|\bwhatsapp\b|\bruf\b|\bt:|\bm:|\bp:|\bf:|☎|📞|\bring\b|\bdial\b|\bbel\b|\bllámanos\b|\bappelez\b)/gi;
const NEGATIVE_WORDS =
  /(?:\biban\b|\bbic\b|\bswift\b|\bvat\b|\bust\b|ust-?id|ustid|\bumsatzsteuer|steuer|st\.-?nr|\bhrb\b|\bhra\b|handelsregister|registergericht|amtsgericht|company\s*(?:no|number|reg)|registered\s+in|reg\.?\s*no|registration|\bsiret\b|\bsiren\b|\brcs\b|\btva\b|\bkvk\b|\bbtw\b|\bcif\b|\bnif\b|\babn\b|\bacn\b|\bein\b|\bgst\b|\buid\b|\bche-|invoice|rechnung|\border\b|bestell|auftrag|\bref\b|reference|ticket|\bcase\b|isbn|issn|\bdoi\b|\bzip\b|postcode|postal|\bplz\b|account|konto|\bblz\b|sort\s*code|routing|\bsku\b|art\.?-?nr|artikel|\bitem\b|serial|licen[cs]e|patent|charity|\brcn\b|\bchy\b|\bcharity\b|\bid\b|#|€|\$|£|\beur\b|\busd\b|\bgbp\b|\bchf\b|\baud\b|price|preis|prix|precio|kosten|total|bankgiro|plusgiro|\bgiro\b|\borg\.?\s?nr|organisationsnummer|momsreg|\bcvr\b|\bregon\b|\bnip\b|\bkrs\b|\bpesel\b|\bcnpj\b|\bcpf\b|\bcep\b|\bcrea\b|\bcreci\b|matr[íi]cula|\bgstin\b|\bpan\b|\bcin\b|\buen\b|\bbn\b|p\.\s?iva|partita iva|codice fiscale|\bc\.f\.|\brea\b|\blot\b|part\s*no|drawing|\bmodel\b|〒|sygn)/gi;
const CURRENCY_AFTER = /^\s*(?:€|\$|£|eur\b|usd\b|gbp\b|chf\b|,-|%)/i;
const DATE_RE = /^\(?\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\)?$/;
const YEAR_RANGE_RE = /^(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}$/;
const TIME_RANGE_RE = /^\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}$/;

const TYPE_MAP: Record<string, PhoneType> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'landline',
  FIXED_LINE_OR_MOBILE: 'landline',
  TOLL_FREE: 'toll_free',
  SHARED_COST: 'toll_free',
  VOIP: 'voip',
};

function lastMatchEnd(re: RegExp, s: string): number {
  let end = -1;
  re.lastIndex = 0;
  for (const m of s.matchAll(re)) end = (m.index ?? 0) + m[0].length;
  return end;
}

// Pages of one site repeat the same header and footer numbers; parsing is the costly part, so valid
// results (and rejections) are memoised per region and raw string. Bounded: cleared when full.
const PARSED = new Map<string, PhoneNumber | null>();
const PARSED_MAX = 4096;

/** Forgets memoised parses (benchmarks call it so that every round starts cold). */
export function resetPhoneMemo(): void {
  PARSED.clear();
}

function parseValid(raw: string, country: CountryCode): PhoneNumber | null {
  const key = `${country}|${raw}`;
  const hit = PARSED.get(key);
  if (hit !== undefined) return hit;
  const p = parsePhoneNumberFromString(raw, country);
  const valid = p && p.isValid() ? p : null;
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(key, valid);
  return valid;
}

function finding(p: PhoneNumber, source: PhoneSource, fax: boolean): PhoneFinding {
  const t = p.getType();
  return {
    e164: p.number,
    type: fax ? 'fax' : (t && TYPE_MAP[t]) || 'unknown',
    country: p.country ?? null,
    source,
  };
}

/** Parses one number as written (tel: link, structured data); only valid numbers survive. */
export function parsePhone(raw: string, country: CountryCode, source: PhoneSource = 'structured', fax = false): PhoneFinding | null {
  const cleaned = raw.replace(/^tel:|^callto:/i, '').replace(/%20/g, ' ').trim();
  if (!/\d/.test(cleaned) || cleaned.length > 40) return null;
  const digits = cleaned.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 17) return null;
  const p = parseValid(cleaned, country);
  return p ? finding(p, source, fax) : null;
}

/**
 * Phone numbers in visible text. A candidate must stand alone (no letter or digit glued to it), must
 * not have the shape of a date, time range or year range, must not follow an id/price keyword unless
 * a phone keyword comes closer, and must be a valid number for its region.
 */
export function phonesFromText(text: string, country: CountryCode): PhoneFinding[] {
  const out: PhoneFinding[] = [];
  for (const line of text.split('\n')) {
    if (!/\d{2}/.test(line)) continue;
    for (const m of line.matchAll(CANDIDATE_RE)) {
      const raw = m[0].replace(/[\s().\/\u2013\u2011-]+$/, '');
      const start = m.index ?? 0;
      const before = line[start - 1] ?? ' ';
      const after = line[start + m[0].length] ?? ' ';
      if (/[\p{L}\d_@/]/u.test(before) || /[\p{L}\d_@]/u.test(after)) continue;
      const digits = raw.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) continue;
      const compact = raw.replace(/\s+/g, '');
      if (DATE_RE.test(compact) || YEAR_RANGE_RE.test(raw.trim()) || TIME_RANGE_RE.test(raw.trim())) continue;
      if (CURRENCY_AFTER.test(line.slice(start + m[0].length))) continue;
      const pre = line.slice(Math.max(0, start - 40), start);
      const neg = lastMatchEnd(NEGATIVE_WORDS, pre);
      const pos = lastMatchEnd(PHONE_WORDS, pre);
      if (neg > pos) continue;
      const international = raw.startsWith('+') || raw.startsWith('00');
      // A bare run of 9+ digits with no separators is an id far more often than a phone number.
      if (!international && pos < 0 && /^\d{9,}$/.test(raw)) continue;
      const p = parseValid(raw, country);
      if (!p) continue;
      const fax = pos >= 0 && /fax/i.test(pre.slice(Math.max(0, pos - 10), pos));
      out.push(finding(p, 'text', fax));
    }
  }
  return out;
}

/** Calling-code countries of the numbers a text writes in international form (a region hint). */
export function internationalCountries(text: string): CountryCode[] {
  const out: CountryCode[] = [];
  for (const m of text.matchAll(/\+\d[\d \u00a0().-]{6,20}\d/g)) {
    const p = parsePhoneNumberFromString(m[0]);
    if (p?.country && p.isValid()) out.push(p.country);
  }
  return out;
}

export function mergePhones(list: PhoneFinding[]): PhoneFinding[] {
  const byNumber = new Map<string, PhoneFinding>();
  const rank: Record<PhoneSource, number> = { structured: 3, tel: 2, text: 1 };
  for (const p of list) {
    const prev = byNumber.get(p.e164);
    if (!prev) byNumber.set(p.e164, p);
    else {
      const merged = rank[p.source] > rank[prev.source] ? { ...p } : { ...prev };
      if (p.type === 'fax' || prev.type === 'fax') merged.type = 'fax';
      byNumber.set(p.e164, merged);
    }
  }
  return [...byNumber.values()];
}
