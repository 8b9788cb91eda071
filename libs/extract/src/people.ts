import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { CountryCode } from 'libphonenumber-js/max';
import { collapse, shortText, textOf } from './dom';
import { emailsFromMailto, normalizeEmail } from './emails';
import { cleanName, looksLikePersonName } from './names';
import { parsePhone, phonesFromText, type PhoneFinding } from './phones';
import { classifySocialLink } from './socials';
import { looksLikeJobTitle } from './classify/job';
import type { StructuredPerson } from './structured-data';

export type PersonSource = 'structured' | 'card' | 'legal_notice';

/** A person as seen on one page, before classification and scoring. */
export interface PersonSighting {
  name: string;
  title: string | null;
  emails: string[];
  phones: PhoneFinding[];
  profiles: string[];
  bio: string;
  source: PersonSource;
  /** The card element the person was read from; links inside it are theirs, not the company's. */
  card: Element | null;
}

const NAME_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'dt', 'td', 'span', 'a', 'p', 'li', 'figcaption', 'div', 'em', 'th']);
const INLINE = new Set(['a', 'span', 'strong', 'b', 'em', 'i', 'small', 'br', 'abbr', 'sup', 'sub']);
const SEPARATOR_RE = /^(.{4,50}?)\s*(?:,|–|—|\s-\s|\||:|\()\s*(.{2,90}?)\)?$/;

function isLeaf(el: Element): boolean {
  for (const c of el.children) if (c.type === 'tag' && !INLINE.has(c.name)) return false;
  return true;
}

function hasText(node: AnyNode): boolean {
  if (node.type === 'text') return /\S/.test(node.data);
  if (node.type !== 'tag' || node.name === 'script' || node.name === 'style') return false;
  return node.children.some(hasText);
}

function nextElement(node: AnyNode): Element | null {
  let n = node.next;
  while (n) {
    if (n.type === 'tag' && n.name !== 'br' && n.name !== 'img' && hasText(n)) return n;
    n = n.next;
  }
  return null;
}

function prevElement(node: AnyNode): Element | null {
  let n = node.prev;
  while (n) {
    if (n.type === 'tag' && n.name !== 'br' && n.name !== 'img' && hasText(n)) return n;
    n = n.prev;
  }
  return null;
}

/** Raw text right after an inline element up to the next block boundary (separator kept). */
function trailingRaw(el: Element): string {
  let s = '';
  let n = el.next;
  while (n) {
    if (n.type === 'tag' && !INLINE.has(n.name)) break;
    if (n.type === 'tag' && n.name === 'br') {
      if (collapse(s)) break;
    } else s += textOf(n);
    n = n.next;
  }
  return s;
}

/** "– Viticulturist": a short capitalised phrase set off by a dash or bar right after a bold name. */
function looksLikeTrailingTitle(raw: string): boolean {
  const m = /^\s*(?:–|—|\||\s-\s)\s*(\p{Lu}[^\d@:;.!?]{1,60})$/u.exec(raw);
  return !!m && collapse(m[1]).split(' ').length <= 6;
}

/** "Jane Doe – Marketing Manager": a line that names a person of its own. */
function isPersonLine(text: string): boolean {
  if (looksLikePersonName(text)) return true;
  const m = SEPARATOR_RE.exec(text);
  return !!m && looksLikePersonName(m[1]);
}


function cleanTitle(t: string): string {
  return collapse(t.replace(/^[,–—|:\-(]\s*/, '').replace(/\)$/, ''));
}

function isAncestor(a: AnyNode, b: AnyNode): boolean {
  let n: AnyNode | null = b.parent;
  while (n) {
    if (n === a) return true;
    n = n.parent;
  }
  return false;
}

function commonAncestor(a: Element, b: Element): Element | null {
  let n: AnyNode | null = a;
  while (n) {
    if (n.type === 'tag' && (n === b || isAncestor(n, b))) return n as Element;
    n = n.parent;
  }
  return null;
}

/** The body element, found by walking down from the root (a selector query would scan the whole tree). */
function findBody(root: AnyNode | null): Element | null {
  if (!root || (root.type !== 'root' && root.type !== 'tag')) return null;
  for (const c of root.children) {
    if (c.type !== 'tag') continue;
    if (c.name === 'body') return c;
    if (c.name === 'html') return findBody(c);
  }
  return null;
}

interface CardHit {
  name: string;
  title: string;
  nameEl: Element;
  card: Element;
}

function findCards($: CheerioAPI): CardHit[] {
  const hits: CardHit[] = [];
  const used = new Set<Element>();
  const body = findBody($.root().get(0) ?? null);
  if (!body) return hits;
  const stack: AnyNode[] = [...body.children];
  const candidates: Element[] = [];
  while (stack.length) {
    const n = stack.pop() as AnyNode;
    if (n.type !== 'tag') continue;
    if (n.name === 'nav' || n.name === 'header' || n.name === 'footer' || n.name === 'form' || n.name === 'select') continue;
    if (NAME_TAGS.has(n.name) && isLeaf(n)) {
      candidates.push(n);
      for (const c of n.children) if (c.type === 'tag' && c.name !== 'br' && NAME_TAGS.has(c.name)) candidates.push(c);
    } else for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  for (const el of candidates) {
    if (used.has(el)) continue;
    const text = shortText(el, 140);
    if (!text || text.length < 4) continue;
    const first = text.charCodeAt(0);
    if (first < 65 && first !== 40) continue;
    if (looksLikePersonName(text)) {
      let titleEl: Element | null = null;
      let title = '';
      const trailer = INLINE.has(el.name) ? trailingRaw(el) : '';
      const after = collapse(trailer).replace(/^[,–—|:\-]\s*/, '');
      if (after && (looksLikeJobTitle(after) || looksLikeTrailingTitle(trailer))) {
        title = after;
        titleEl = el.parent as Element;
      } else if (after) {
        // "<strong>Name</strong> – something" that is not a title: the name's title slot is taken,
        // so do not borrow the next person's line as a title.
        continue;
      } else {
        let anchor: Element = el;
        for (let depth = 0; depth < 3 && !titleEl; depth++) {
          const next = nextElement(anchor);
          const nextText = next ? (shortText(next, 90) ?? '') : '';
          if (next && nextText && looksLikeJobTitle(nextText) && !isPersonLine(nextText)) {
            titleEl = next;
            title = nextText;
            break;
          }
          const prev = prevElement(anchor);
          const prevText = prev ? (shortText(prev, 60) ?? '') : '';
          if (!next && prev && prevText && looksLikeJobTitle(prevText) && !looksLikePersonName(prevText)) {
            titleEl = prev;
            title = prevText;
            break;
          }
          const parent = anchor.parent;
          if (!parent || parent.type !== 'tag' || next) break;
          anchor = parent;
        }
      }
      if (titleEl && title) {
        used.add(titleEl);
        hits.push({ name: text, title: cleanTitle(title), nameEl: el, card: commonAncestor(el, titleEl) ?? el });
      }
      continue;
    }
    if (!/[,–—|:(]| - /.test(text)) continue;
    // <p><strong>Name</strong><br>Title, credential</p>: the inline children are tried on their own;
    // the joined text would glue the name to the title.
    if (el.children.some((c) => c.type === 'tag' && c.name === 'br')) continue;
    const m = SEPARATOR_RE.exec(text);
    if (m && looksLikePersonName(m[1]) && looksLikeJobTitle(m[2])) {
      hits.push({ name: m[1], title: cleanTitle(m[2]), nameEl: el, card: el });
    }
  }
  // Widen each card to the largest ancestor that holds no other person: that is where the
  // person's own mailto, phone and profile links sit.
  for (const hit of hits) {
    let card = hit.card;
    for (let i = 0; i < 4; i++) {
      const parent = card.parent;
      if (!parent || parent.type !== 'tag' || parent.name === 'body' || parent.name === 'main') break;
      if (hits.some((o) => o !== hit && isAncestor(parent, o.nameEl))) break;
      card = parent;
    }
    hit.card = card;
  }
  return hits;
}

function cardContacts($: CheerioAPI, card: Element, country: CountryCode): { emails: string[]; phones: PhoneFinding[]; profiles: string[]; bio: string } {
  const emails: string[] = [];
  const phones: PhoneFinding[] = [];
  const profiles: string[] = [];
  $(card)
    .find('a[href]')
    .each((_, a) => {
      const href = (a as Element).attribs.href;
      for (const e of emailsFromMailto(href)) {
        const n = normalizeEmail(e);
        if (n) emails.push(n);
      }
      if (/^tel:/i.test(href)) {
        const p = parsePhone(href, country, 'tel');
        if (p) phones.push(p);
      }
      const social = classifySocialLink(href);
      if (social && (social.personal || social.platform === 'twitter' || social.platform === 'github')) profiles.push(social.url);
    });
  const bio = collapse(textOf(card));
  if (phones.length === 0) phones.push(...phonesFromText(bio, country));
  return { emails, phones, profiles, bio };
}

const LEGAL_LABEL_RE =
  /^\s*(Gesch[äa]ftsf[üu]hrer(?:in|innen)?|Gesch[äa]ftsf[üu]hrung|Gesch[äa]ftsf[üu]hrende[rn]? Gesellschafter(?:in)?|Inhaber(?:in)?|Vorstand|Vorstandsvorsitzende[r]?|Vertretungsberechtigte[rn]? Gesch[äa]ftsf[üu]hrer(?:in)?|Directeur de la publication|Directrice de la publication|G[ée]rant(?:e)?|Managing Directors?|Company Directors?|Directors|Bestuurder|Directeur|Administrador(?:a)?(?: [úu]nic[oa])?)\s*:\s*(.*)$/i;
const LEGAL_TITLE: Record<string, string> = { 'geschäftsführung': 'Geschäftsführer', 'geschaftsfuhrung': 'Geschäftsführer' };

const LEGAL_HINT_RE = /Gesch[äa]ftsf|Inhaber|Vorstand|Vertret|publication|G[ée]rant|Directors?\s*:|Bestuurder|Administrador/i;

const LABEL_LINE_RE = /^([^:]{2,60}?)\s*:\s*(.{4,160})$/;
const NAME_END_RE = /\s*(?:,|;|–|—|\s-\s|\(|\||\s·\s)\s*/;

/**
 * "Role: Name" lines in any language ("Legale rappresentante: Dott. Marco Bianchi",
 * "Verwaltungsratspräsident: Hans-Peter Gerber", "Responsable : Sophie Dubois, Directrice de la succursale").
 * The label must read as a job title and the value must start with a person's name; a title written
 * after the name ("Name, Title") wins over the label.
 */
function labelledPerson(line: string): { name: string; title: string } | null {
  const m = LABEL_LINE_RE.exec(line);
  if (!m) return null;
  const label = m[1].trim();
  if (!/^\p{Lu}/u.test(label) || !looksLikeJobTitle(label) || looksLikePersonName(label)) return null;
  const parts = m[2].split(NAME_END_RE);
  const name = parts[0].trim();
  if (!looksLikePersonName(name)) return null;
  const after = parts[1]?.trim() ?? '';
  const title = after && looksLikeJobTitle(after) && !/@/.test(after) ? after : label;
  return { name, title };
}

function legalNoticePeople(text: string): { name: string; title: string }[] {
  const out: { name: string; title: string }[] = [];
  if (!text.includes(':')) return out;
  const hinted = LEGAL_HINT_RE.test(text);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].indexOf(':') < 0) continue;
    lines[i] = collapse(lines[i]);
    const m = hinted ? LEGAL_LABEL_RE.exec(lines[i]) : null;
    if (!m) {
      if (lines[i].length <= 200) {
        const p = labelledPerson(lines[i]);
        if (p) out.push(p);
      }
      continue;
    }
    const label = m[1];
    let rest = m[2];
    for (let j = i + 1; !rest && j < lines.length && j < i + 6; j++) rest = collapse(lines[j]);
    const title = LEGAL_TITLE[label.toLowerCase()] ?? label.replace(/^(Managing|Company) Directors$/i, '$1 Director').replace(/^Directors$/i, 'Director').replace(/^Gesch(ä|a)ftsf(ü|u)hrerinnen$/i, 'Geschäftsführerin');
    for (const part of rest.split(/\s*(?:,|;|\bund\b|\band\b|&|\bet\b|\by\b|\ben\b)\s*/)) {
      const name = part.replace(/\s*\(.*\)$/, '').trim();
      if (looksLikePersonName(name)) out.push({ name, title });
    }
  }
  return out;
}

function firstWord(name: string): string {
  return cleanName(name).split(' ')[0] ?? '';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function findPeople($: CheerioAPI, pageText: string, structured: StructuredPerson[], country: CountryCode): PersonSighting[] {
  const out: PersonSighting[] = [];
  for (const p of structured) {
    const name = p.name ?? [p.givenName, p.familyName].filter(Boolean).join(' ');
    if (!name || !looksLikePersonName(name)) continue;
    const emails = p.emails.map((e) => normalizeEmail(e)).filter((e): e is string => !!e);
    const profiles = p.sameAs.map((s) => classifySocialLink(s)?.url).filter((s): s is string => !!s);
    if (!p.jobTitle && emails.length === 0 && profiles.length === 0) continue;
    out.push({
      name,
      title: p.jobTitle,
      emails,
      phones: p.telephones.map((t) => parsePhone(t, country)).filter((x): x is PhoneFinding => !!x),
      profiles,
      bio: [p.description, ...p.credentials].filter(Boolean).join(' '),
      source: 'structured',
      card: null,
    });
  }
  const hits = findCards($);
  for (const hit of hits) {
    const c = cardContacts($, hit.card, country);
    // A bio often follows the card as its own paragraph: <p><b>Name</b>, Title</p><p>bio</p>.
    const after = nextElement(hit.card);
    if (after && !hits.some((o) => o.card === after || o.nameEl === after || isAncestor(after, o.nameEl))) {
      const text = collapse(textOf(after));
      // A paragraph about someone else on the page ("Nils has an M.Sc. ...") is not this person's bio.
      const own = firstWord(hit.name);
      const aboutOther = hits.some((o) => o !== hit && firstWord(o.name) !== own && new RegExp(`\\b${escapeRe(firstWord(o.name))}\\b`).test(text));
      if (!aboutOther || new RegExp(`\\b${escapeRe(own)}\\b`).test(text)) c.bio += ` ${text}`;
    }
    out.push({ name: hit.name, title: hit.title, ...c, source: 'card', card: hit.card });
  }
  for (const p of legalNoticePeople(pageText)) {
    out.push({ name: p.name, title: p.title, emails: [], phones: [], profiles: [], bio: '', source: 'legal_notice', card: null });
  }
  return out;
}
