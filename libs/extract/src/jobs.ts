import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { absoluteUrl, collapse, shortText } from './dom';
import { classifyDepartment, classifyJobLevel, looksLikeJobTitle } from './classify/job';
import type { StructuredJob } from './structured-data';
import type { JobFinding } from './types';

const GENDER_TAG_RE = /\s*\((?:m\/w\/d|w\/m\/d|m\/f\/d|f\/m\/x|m\/w\/x|h\/f|f\/h|m\/v|v\/m|all genders?)\)\s*/gi;
const NOT_JOB_RE = /\b(apply|bewerben|postuler|solicitar|open positions|offene stellen|all jobs|view|read more|mehr erfahren|benefits|why join|our culture)\b/i;

export function cleanJobTitle(title: string): string {
  return collapse(title.replace(GENDER_TAG_RE, ' '));
}

function job(title: string, source: JobFinding['source'], extra: Partial<JobFinding> = {}): JobFinding {
  const t = cleanJobTitle(title);
  return {
    title: t,
    jobLevel: classifyJobLevel(t),
    department: classifyDepartment(t),
    location: null,
    employmentType: null,
    datePosted: null,
    url: null,
    source,
    ...extra,
  };
}

const HEADING = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const POSITION_LABEL_RE = /^(?:position|job|role|job title|stelle|poste|cargo|vaga|posizione|stanowisko|tj[äa]nst|functie)$/i;

/** The text a listing element contributes as a job title, or null when it is not a title slot. */
function listingText(e: Element): string | null {
  if (e.name === 'a') {
    // A card link wrapping a heading and meta lines: the heading is the title.
    if (e.children.some((c) => c.type === 'tag' && (HEADING.has(c.name) || c.name === 'div' || c.name === 'p'))) return null;
    return shortText(e, 90);
  }
  if (e.name === 'li') {
    // <li><strong>Title</strong> – location – pay</li> or a plain short item.
    const first = e.children.find((c) => c.type === 'tag' || (c.type === 'text' && c.data.trim()));
    if (first && first.type === 'tag') {
      // A linked or headed item is read from its link or heading; otherwise the first line is the title.
      if (first.name === 'a' || HEADING.has(first.name) || first.children.some((c) => c.type === 'tag' && c.name === 'a')) return null;
      return shortText(first, 90);
    }
    const t = shortText(e, 90);
    return t && t.split(' ').length <= 8 && !/[.!?]$/.test(t) ? t : null;
  }
  if (e.name === 'td') {
    // <tr><th>Position</th><td>Title</td></tr>
    const label = e.prev && e.prev.type === 'tag' ? e.prev : (e.prev?.prev ?? null);
    if (!label || label.type !== 'tag' || label.name !== 'th') return null;
    return POSITION_LABEL_RE.test(shortText(label, 30) ?? '') ? shortText(e, 90) : null;
  }
  return shortText(e, 90);
}

/** JobPosting items, plus on a careers page the job titles its listing links to. */
export function findJobs($: CheerioAPI, url: string, structured: StructuredJob[], careersPage: boolean): JobFinding[] {
  const out = new Map<string, JobFinding>();
  for (const s of structured) {
    const j = job(s.title, 'structured', {
      location: s.location,
      employmentType: s.employmentType,
      datePosted: s.datePosted,
      url: s.url ? absoluteUrl(s.url, url) : null,
    });
    out.set(j.title.toLowerCase(), j);
  }
  if (!careersPage) return [...out.values()];
  const root = $('main, #content, article').first();
  root.find('a[href], h2, h3, h4, h5, li, td').each((_, el) => {
    const e = el as Element;
    const text = listingText(e);
    if (!text || text.length < 4 || NOT_JOB_RE.test(text)) return;
    const title = cleanJobTitle(text);
    if (!looksLikeJobTitle(title) || /\bjobs?\b|\bcareers?\b|karriere|vacatures/i.test(title)) return;
    // A job title in a listing is a role, not a person or a company.
    if (!/[a-zäöüéè]/.test(title) || title.split(' ').length > 9) return;
    const key = title.toLowerCase();
    if (out.has(key)) return;
    if ($(e).closest('nav, header, footer').length) return;
    const href = e.name === 'a' ? e.attribs.href : $(e).find('a[href]').attr('href');
    out.set(key, job(title, 'listing', { url: href ? absoluteUrl(href, url) : null }));
  });
  return [...out.values()];
}
