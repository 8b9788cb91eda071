import { classifyJobLevel } from './classify/job';

// Honorifics and professional prefixes written before a name in several languages: "Dott.ssa" (it),
// "adw." / "r.pr." / "mec." (pl), "Eng." / "Dra." (pt), "Avv." / "Arch." (it), "Lic." (es).
const HONORIFICS =
  /^(?:(?:dr|dra|prof|prof\.ssa|mr|mrs|ms|miss|mx|sir|dame|herr|frau|mme|mlle|m|sr|sra|srta|dhr|mevr|ing|eng|dipl\.-ing|dipl\.-kfm|mag|rer\.\s?nat|med|dent|univ|dott|dott\.ssa|dottssa|avv|arch|geom|rag|lic|arq|adw|r\.\s?pr|mec|hab|dr\s+hab|ir|drs|mgr|in[żz])\.?\s+)+/i;
const PARTICLES = new Set(['von', 'van', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'le', 'la', 'ten', 'ter', 'zu', 'dos', 'das', 'y', "d'", 'mac', 'st.', 'bin', 'al']);
const NOT_NAME_WORDS = new Set([
  'about', 'contact', 'team', 'our', 'the', 'and', 'for', 'with', 'services', 'service', 'news', 'blog', 'careers', 'jobs',
  'home', 'privacy', 'policy', 'terms', 'imprint', 'impressum', 'kontakt', 'leadership', 'board', 'management', 'company',
  'office', 'hours', 'opening', 'read', 'more', 'learn', 'view', 'all', 'open', 'positions', 'apply', 'now', 'welcome',
  'support', 'sales', 'pricing', 'features', 'customers', 'partners', 'press', 'events', 'location', 'locations', 'follow',
  'us', 'get', 'in', 'touch', 'street', 'road', 'avenue', 'gmbh', 'ltd', 'limited', 'inc', 'llc', 'bv', 'sarl', 'sas', 'sl',
  'pty', 'ag', 'kg', 'co', 'unser', 'unsere', 'das', 'ihr', 'notre', 'équipe', 'nuestro', 'equipo', 'ons', 'newsletter',
  'subscribe', 'download', 'mission', 'vision', 'values', 'history', 'story', 'people', 'meet', 'who', 'we', 'are',
  'berlin', 'london', 'paris', 'madrid', 'amsterdam', 'sydney', 'new', 'york', 'san', 'francisco', 'stuttgart', 'münchen',
  'rotterdam', 'marbella', 'dublin', 'portland', 'clinic', 'practice', 'hotel', 'restaurant', 'spa', 'legal', 'studio',
  'director', 'manager', 'engineer', 'partner', 'founder', 'ceo', 'cto', 'cfo', 'head', 'senior', 'junior', 'lead',
  'mentions', 'légales', 'legal', 'notice', 'cookie', 'cookies', 'settings', 'english', 'deutsch', 'français', 'español',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march',
  'july', 'september', 'october', 'november', 'december', 'is', 'of', 'to', 'on', 'at', 'by',
  'your', 'how', 'what', 'why', 'when', 'where', 'product', 'platform', 'solutions', 'case', 'studies', 'resources',
  'dental', 'care', 'implants', 'email', 'e-mail', 'mail', 'call', 'phone', 'website', 'linkedin', 'profile', 'whitening', 'hygiene', 'emergency', 'appointment', 'book', 'online', 'free', 'award',
]);

/** Removes honorifics and post-nominals ("Dr. Jane Doe, PhD" -> "Jane Doe"). */
export function cleanName(raw: string): string {
  let s = raw.replace(/\s+/g, ' ').trim();
  s = s.replace(/\s*[,|–—]\s*(?:[A-Z][A-Za-z.]{1,6}(?:\s*\([A-Za-z]+\))?\s*,?\s*)+$/, '');
  s = s.replace(/\s+\((?:she|he|they)\/\w+\)$/i, '');
  s = s.replace(HONORIFICS, '');
  return s.trim();
}

export function looksLikePersonName(raw: string): boolean {
  if (raw.length < 4 || raw.length > 80) return false;
  // A name has a space and no digits, at signs or sentence punctuation.
  if (raw.indexOf(' ') < 0 || /[\d@!?;:=/\\]/.test(raw)) return false;
  let spaces = 0;
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) === 32 && ++spaces > 7) return false;
  const s = cleanName(raw);
  if (s.length < 4 || s.length > 50) return false;
  const tokens = s.split(' ');
  if (tokens.length < 2 || tokens.length > 5) return false;
  let capitalized = 0;
  for (const t of tokens) {
    const lower = t.toLowerCase();
    if (PARTICLES.has(lower)) continue;
    if (NOT_NAME_WORDS.has(lower)) return false;
    if (!/^\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?\.?$|^\p{Lu}\.$/u.test(t) && !/^(?:Mc|Mac|O')\p{Lu}\p{Ll}+$/u.test(t)) return false;
    capitalized++;
  }
  // "Graduate Lawyer", "Cascade Dentist": a role or trade, not a person.
  return capitalized >= 2 && classifyJobLevel(s) === 'unknown';
}

export interface NameParts {
  fullName: string;
  firstName: string | null;
  lastName: string | null;
}

/** First/last split: the first word is the first name, everything from the next word (or particle) on is the family name. */
export function splitName(raw: string): NameParts {
  const fullName = cleanName(raw);
  const tokens = fullName.split(' ').filter(Boolean);
  if (tokens.length < 2) return { fullName, firstName: tokens[0] ?? null, lastName: null };
  const particleAt = tokens.findIndex((t, i) => i > 0 && PARTICLES.has(t.toLowerCase()));
  // Middle initials stay with the first name ("John F. Smith" -> "John F.", "Smith").
  let split = 1;
  while (split < tokens.length - 1 && /^\p{Lu}\.$/u.test(tokens[split])) split++;
  if (particleAt > 0 && particleAt < split) split = particleAt;
  else if (particleAt > 0 && particleAt >= split && tokens.length > 2 && particleAt === split) split = particleAt;
  return { fullName, firstName: tokens.slice(0, split).join(' '), lastName: tokens.slice(split).join(' ') };
}

export function normalizeName(s: string): string {
  return cleanName(s)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether an email's local part is built from the person's name (jane.doe, jdoe, doe.jane, jane). */
export function emailMatchesName(email: string, fullName: string): boolean {
  const local = email.slice(0, email.indexOf('@')).toLowerCase().replace(/[^a-z]/g, '');
  const parts = normalizeName(fullName).split(' ').filter((p) => p.length > 1);
  if (parts.length === 0 || local.length < 2) return false;
  const first = parts[0];
  const last = parts[parts.length - 1];
  return [first + last, last + first, first[0] + last, first, last, first + last[0]].includes(local);
}
