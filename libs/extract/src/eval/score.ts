import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from '../extract';
import { extractDirectory, type DirectorySelectors } from '../directory';
import { classifyJobLevel } from '../classify/job';
import { normalizeName } from '../names';
import type { Findings } from '../types';

export interface TruthPerson {
  name: string;
  title: string | null;
  jobLevel?: string;
  educationLevel?: string;
  degreeType?: string | null;
}

export interface PageTruth {
  emails?: string[];
  notEmails?: string[];
  phones?: string[];
  notPhones?: string[];
  people?: TruthPerson[];
  jobs?: { title: string; jobLevel?: string }[];
  socials?: Record<string, string>;
}

export interface SiteTruth {
  site: string;
  baseUrl: string;
  country: string;
  businessType?: string;
  everyPage: PageTruth;
  pages: Record<string, PageTruth>;
  directory?: {
    selectors: DirectorySelectors;
    pages: Record<string, { rows: Record<string, string | null>[]; next: string | null }>;
  };
}

export interface CorpusPage {
  site: SiteTruth;
  path: string;
  url: string;
  html: string;
}

export function pageUrl(site: SiteTruth, path: string): string {
  return path === 'index.html' ? `${site.baseUrl}/` : `${site.baseUrl}/${path}`;
}

export function loadCorpus(root: string): CorpusPage[] {
  const out: CorpusPage[] = [];
  for (const dir of readdirSync(root).sort()) {
    const siteDir = join(root, dir);
    if (!statSync(siteDir).isDirectory()) continue;
    const site = JSON.parse(readFileSync(join(siteDir, 'truth.json'), 'utf8')) as SiteTruth;
    for (const path of Object.keys(site.pages).sort()) {
      out.push({ site, path, url: pageUrl(site, path), html: readFileSync(join(siteDir, path), 'utf8') });
    }
  }
  return out;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface FieldScore extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

function finish(c: Counts): FieldScore {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

function compare(predicted: Iterable<string>, truth: Iterable<string>, c: Counts, errors: string[], label: string): void {
  const p = new Set(predicted);
  const t = new Set(truth);
  for (const x of p) {
    if (t.has(x)) c.tp++;
    else {
      c.fp++;
      errors.push(`${label} false positive: ${x}`);
    }
  }
  for (const x of t) {
    if (!p.has(x)) {
      c.fn++;
      errors.push(`${label} missed: ${x}`);
    }
  }
}

export function normalizeTitle(t: string | null | undefined): string {
  return (t ?? '').toLowerCase().replace(/&/g, 'and').replace(/\s*\((?:m\/w\/d|w\/m\/d|m\/f\/d)\)\s*/g, ' ').replace(/[^\p{L}\p{N} ]/gu, ' ').replace(/\s+/g, ' ').trim();
}

export interface CorpusReport {
  pages: number;
  emails: FieldScore;
  phones: FieldScore;
  people: FieldScore;
  socials: FieldScore;
  jobs: FieldScore;
  directoryRows: FieldScore;
  directoryNext: { correct: number; total: number };
  jobLevel: { correct: number; total: number; accuracy: number };
  education: { correct: number; total: number; accuracy: number };
  errors: string[];
}

const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

/** Runs the extractor over every labelled page and scores it against the truth files. */
export function scoreCorpus(pages: CorpusPage[]): CorpusReport {
  const c = { emails: zero(), phones: zero(), people: zero(), socials: zero(), jobs: zero(), rows: zero() };
  const errors: string[] = [];
  const level = { correct: 0, total: 0 };
  const education = { correct: 0, total: 0 };
  const next = { correct: 0, total: 0 };
  const seenSites = new Set<string>();

  for (const page of pages) {
    const truth = page.site.pages[page.path];
    const every = page.site.everyPage;
    const f: Findings = extract(page.url, page.html);
    const where = `${page.site.site}/${page.path}`;

    compare(f.emails.map((e) => e.email), [...(every.emails ?? []), ...(truth.emails ?? [])], c.emails, errors, `${where} email`);
    compare(f.phones.map((p) => p.e164), [...(every.phones ?? []), ...(truth.phones ?? [])], c.phones, errors, `${where} phone`);
    const socials = truth.socials ?? every.socials ?? {};
    compare(
      Object.entries(f.company.socials).map(([k, v]) => `${k} ${v}`),
      Object.entries(socials).map(([k, v]) => `${k} ${v}`),
      c.socials,
      errors,
      `${where} social`,
    );
    const personKey = (name: string, title: string | null | undefined): string => `${normalizeName(name)} | ${normalizeTitle(title)}`;
    const truthPeople = truth.people ?? [];
    compare(f.people.map((p) => personKey(p.fullName, p.jobTitle)), truthPeople.map((p) => personKey(p.name, p.title)), c.people, errors, `${where} person`);
    for (const tp of truthPeople) {
      const found = f.people.find((p) => normalizeName(p.fullName) === normalizeName(tp.name));
      if (found && tp.educationLevel) {
        education.total++;
        if (found.educationLevel === tp.educationLevel && (tp.degreeType === undefined || found.degreeType === tp.degreeType)) education.correct++;
        else errors.push(`${where} education of ${tp.name}: got ${found.educationLevel}/${found.degreeType}, want ${tp.educationLevel}/${tp.degreeType}`);
      }
    }
    if (truth.jobs) {
      compare(f.jobs.map((j) => normalizeTitle(j.title)), truth.jobs.map((j) => normalizeTitle(j.title)), c.jobs, errors, `${where} job`);
    }
    for (const item of [...truthPeople, ...(truth.jobs ?? [])]) {
      if (!item.jobLevel || !item.title) continue;
      level.total++;
      const got = classifyJobLevel(item.title);
      if (got === item.jobLevel) level.correct++;
      else errors.push(`${where} jobLevel of "${item.title}": got ${got}, want ${item.jobLevel}`);
    }
    for (const bad of truth.notEmails ?? []) if (f.emails.some((e) => e.email === bad.toLowerCase())) errors.push(`${where} trap email extracted: ${bad}`);

    const dir = page.site.directory;
    if (dir && dir.pages[page.path]) {
      seenSites.add(page.site.site);
      const want = dir.pages[page.path];
      const got = extractDirectory(page.url, page.html, dir.selectors);
      const rowKey = (r: Record<string, string | null>): string =>
        [r.name, r.phoneE164, r.website, r.category, r.city].map((v) => (v ?? '').toLowerCase().trim()).join(' | ');
      compare(got.records.map(rowKey), want.rows.map(rowKey), c.rows, errors, `${where} directory row`);
      next.total++;
      const wantNext = want.next ? pageUrl(page.site, want.next) : null;
      if (got.next === wantNext) next.correct++;
      else errors.push(`${where} directory next: got ${got.next}, want ${wantNext}`);
    }
  }

  return {
    pages: pages.length,
    emails: finish(c.emails),
    phones: finish(c.phones),
    people: finish(c.people),
    socials: finish(c.socials),
    jobs: finish(c.jobs),
    directoryRows: finish(c.rows),
    directoryNext: next,
    jobLevel: { ...level, accuracy: level.total ? level.correct / level.total : 1 },
    education: { ...education, accuracy: education.total ? education.correct / education.total : 1 },
    errors,
  };
}

export const TARGETS = {
  emailsPrecision: 0.99,
  emailsRecall: 0.97,
  phonesPrecision: 0.97,
  phonesRecall: 0.95,
  peopleF1: 0.9,
  jobLevelAccuracy: 0.9,
  socialsPrecision: 0.98,
  directoryRowsRecall: 0.98,
  throughputRatio: 0.5,
} as const;
