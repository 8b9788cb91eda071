import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { load } from 'cheerio';
import { extract } from '../../libs/extract/src/index';
import { loadCorpus, scoreCorpus, TARGETS, type FieldScore } from '../../libs/extract/src/eval/score';

const ROUNDS = 15;
const pages = loadCorpus(join(__dirname, '../fixtures/sites'));
const totalBytes = pages.reduce((n, p) => n + Buffer.byteLength(p.html), 0);

function parseOnly(): number {
  let links = 0;
  for (const p of pages) {
    const $ = load(p.html);
    $('a[href]').each((_, a) => {
      if ($(a).attr('href')) links++;
    });
  }
  return links;
}

function extractOnly(): number {
  let n = 0;
  for (const p of pages) n += extract(p.url, p.html).emails.length;
  return n;
}

function pagesPerSecond(fn: () => number): number {
  const start = performance.now();
  fn();
  return (pages.length * 1000) / (performance.now() - start);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up so that both paths are JIT-compiled before timing.
parseOnly();
extractOnly();
const parseRates: number[] = [];
const extractRates: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  // Alternate the order so that neither side always runs on a warmer heap.
  if (i % 2 === 0) {
    parseRates.push(pagesPerSecond(parseOnly));
    extractRates.push(pagesPerSecond(extractOnly));
  } else {
    extractRates.push(pagesPerSecond(extractOnly));
    parseRates.push(pagesPerSecond(parseOnly));
  }
}

const report = scoreCorpus(pages);
const pct = (x: number): string => x.toFixed(3);
const row = (name: string, s: FieldScore): string =>
  `${name.padEnd(16)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}   (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

const parseMedian = median(parseRates);
const extractMedian = median(extractRates);
const ratio = extractMedian / parseMedian;
const sites = new Set(pages.map((p) => p.site.site)).size;

const lines = [
  `extraction accuracy on ${report.pages} pages from ${sites} sites (${(totalBytes / 1024 / pages.length).toFixed(1)} KB/page on average)`,
  row('emails', report.emails),
  row('phones', report.phones),
  row('people name+title', report.people),
  row('socials', report.socials),
  row('job postings', report.jobs),
  row('directory rows', report.directoryRows),
  `${'directory next'.padEnd(16)} ${report.directoryNext.correct}/${report.directoryNext.total}`,
  `${'jobLevel'.padEnd(16)} accuracy ${pct(report.jobLevel.accuracy)} (${report.jobLevel.correct}/${report.jobLevel.total})`,
  `${'education'.padEnd(16)} accuracy ${pct(report.education.accuracy)} (${report.education.correct}/${report.education.total})`,
  '',
  `throughput, median of ${ROUNDS} rounds over the same ${pages.length} pages:`,
  `  parsing alone (cheerio.load + all links): ${parseMedian.toFixed(0)} pages/s`,
  `  extraction alone (extract(url, html)):    ${extractMedian.toFixed(0)} pages/s`,
  `  ratio extraction/parsing:                 ${ratio.toFixed(2)}x`,
  '',
];
const checks: [string, boolean][] = [
  [`emails P >= ${TARGETS.emailsPrecision}`, report.emails.precision >= TARGETS.emailsPrecision],
  [`emails R >= ${TARGETS.emailsRecall}`, report.emails.recall >= TARGETS.emailsRecall],
  [`phones P >= ${TARGETS.phonesPrecision}`, report.phones.precision >= TARGETS.phonesPrecision],
  [`phones R >= ${TARGETS.phonesRecall}`, report.phones.recall >= TARGETS.phonesRecall],
  [`people F1 >= ${TARGETS.peopleF1}`, report.people.f1 >= TARGETS.peopleF1],
  [`jobLevel accuracy >= ${TARGETS.jobLevelAccuracy}`, report.jobLevel.accuracy >= TARGETS.jobLevelAccuracy],
  [`socials P >= ${TARGETS.socialsPrecision}`, report.socials.precision >= TARGETS.socialsPrecision],
  [`directory rows R >= ${TARGETS.directoryRowsRecall}`, report.directoryRows.recall >= TARGETS.directoryRowsRecall],
  [`throughput >= ${TARGETS.throughputRatio}x parsing`, ratio >= TARGETS.throughputRatio],
];
for (const [name, ok] of checks) lines.push(`${ok ? 'PASS' : 'FAIL'}  ${name}`);
if (report.errors.length) lines.push('', 'mismatches:', ...report.errors.map((e) => `  ${e}`));
process.stdout.write(`${lines.join('\n')}\n`);
if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
