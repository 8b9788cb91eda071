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
  root.find('a[href], h2, h3, h4').each((_, el) => {
    const e = el as Element;
    const text = shortText(e, 90);
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
