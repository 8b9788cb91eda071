import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { load } from 'cheerio';
import { extract } from '../../libs/extract/src/index';
import { resetPhoneMemo } from '../../libs/extract/src/phones';
import { loadCorpus, scoreCorpus, TARGETS, type CorpusPage, type CorpusReport, type FieldScore } from '../../libs/extract/src/eval/score';

/**
 * Scores the extractor on two corpora and times it against parsing alone:
 * - dev (test/fixtures/sites): the corpus the extractor was developed against;
 * - holdout (test/fixtures/holdout): sites built without looking at the extractor, in other
 *   countries, languages and CMS markups, at realistic page weight. Treat it as the honest figure.
 * Pass `--quiet` to omit the per-item mismatch lists.
 */
const ROUNDS = 15;
const quiet = process.argv.includes('--quiet');

const corpora: { name: string; pages: CorpusPage[] }[] = [
  { name: 'dev', pages: loadCorpus(join(__dirname, '../fixtures/sites')) },
  { name: 'holdout', pages: loadCorpus(join(__dirname, '../fixtures/holdout')) },
];

function parseOnly(pages: CorpusPage[]): number {
  let links = 0;
  for (const p of pages) {
    const $ = load(p.html);
    $('a[href]').each((_, a) => {
      if ($(a).attr('href')) links++;
    });
  }
  return links;
}

function extractOnly(pages: CorpusPage[]): number {
  // Each round sees every page once, as a crawl would: numbers repeated across a site's pages are
  // parsed once per round, never carried over from the previous round.
  resetPhoneMemo();
  let n = 0;
  for (const p of pages) n += extract(p.url, p.html).emails.length;
  return n;
}

function pagesPerSecond(pages: CorpusPage[], fn: (pages: CorpusPage[]) => number): number {
  const start = performance.now();
  fn(pages);
  return (pages.length * 1000) / (performance.now() - start);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Throughput {
  parse: number;
  extract: number;
  ratio: number;
}

function measure(pages: CorpusPage[]): Throughput {
  // Warm-up so that both paths are JIT-compiled before timing.
  parseOnly(pages);
  extractOnly(pages);
  const parseRates: number[] = [];
  const extractRates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate the order so that neither side always runs on a warmer heap.
    if (i % 2 === 0) {
      parseRates.push(pagesPerSecond(pages, parseOnly));
      extractRates.push(pagesPerSecond(pages, extractOnly));
    } else {
      extractRates.push(pagesPerSecond(pages, extractOnly));
      parseRates.push(pagesPerSecond(pages, parseOnly));
    }
  }
  const parse = median(parseRates);
  const extracted = median(extractRates);
  return { parse, extract: extracted, ratio: extracted / parse };
}

const pct = (x: number): string => x.toFixed(3);
const row = (name: string, s: FieldScore): string =>
  `${name.padEnd(18)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}   (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

function checks(report: CorpusReport, t: Throughput): [string, boolean][] {
  return [
    [`emails P >= ${TARGETS.emailsPrecision}`, report.emails.precision >= TARGETS.emailsPrecision],
    [`emails R >= ${TARGETS.emailsRecall}`, report.emails.recall >= TARGETS.emailsRecall],
    [`phones P >= ${TARGETS.phonesPrecision}`, report.phones.precision >= TARGETS.phonesPrecision],
    [`phones R >= ${TARGETS.phonesRecall}`, report.phones.recall >= TARGETS.phonesRecall],
    [`people F1 >= ${TARGETS.peopleF1}`, report.people.f1 >= TARGETS.peopleF1],
    [`jobLevel accuracy >= ${TARGETS.jobLevelAccuracy}`, report.jobLevel.accuracy >= TARGETS.jobLevelAccuracy],
    [`socials P >= ${TARGETS.socialsPrecision}`, report.socials.precision >= TARGETS.socialsPrecision],
    [`directory rows R >= ${TARGETS.directoryRowsRecall}`, report.directoryRows.recall >= TARGETS.directoryRowsRecall],
    [`throughput >= ${TARGETS.throughputRatio}x parsing`, t.ratio >= TARGETS.throughputRatio],
  ];
}

const lines: string[] = [];
let failed = false;
for (const { name, pages } of corpora) {
  const totalBytes = pages.reduce((n, p) => n + Buffer.byteLength(p.html), 0);
  const t = measure(pages);
  const report = scoreCorpus(pages);
  const sites = new Set(pages.map((p) => p.site.site)).size;
  lines.push(
    `== ${name}: ${report.pages} pages from ${sites} sites (${(totalBytes / 1024 / pages.length).toFixed(1)} KB/page on average)`,
    row('emails', report.emails),
    row('phones', report.phones),
    row('people name+title', report.people),
    row('socials', report.socials),
    row('job postings', report.jobs),
    row('directory rows', report.directoryRows),
    `${'directory next'.padEnd(18)} ${report.directoryNext.correct}/${report.directoryNext.total}`,
    `${'jobLevel'.padEnd(18)} accuracy ${pct(report.jobLevel.accuracy)} (${report.jobLevel.correct}/${report.jobLevel.total})`,
    `${'education'.padEnd(18)} accuracy ${pct(report.education.accuracy)} (${report.education.correct}/${report.education.total})`,
    `throughput, median of ${ROUNDS} rounds over the same ${pages.length} pages:`,
    `  parsing alone (cheerio.load + all links): ${t.parse.toFixed(0)} pages/s`,
    `  extraction alone (extract(url, html)):    ${t.extract.toFixed(0)} pages/s`,
    `  ratio extraction/parsing:                 ${t.ratio.toFixed(2)}x`,
  );
  for (const [check, ok] of checks(report, t)) {
    lines.push(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${check}`);
    if (!ok) failed = true;
  }
  if (!quiet && report.errors.length) lines.push(`mismatches (${name}):`, ...report.errors.map((e) => `  ${e}`));
  lines.push('');
}
process.stdout.write(`${lines.join('\n')}\n`);
if (failed) process.exitCode = 1;
