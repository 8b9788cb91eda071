import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus, scoreCorpus, TARGETS } from './eval/score';

// dev: the corpus the extractor was written against. holdout: sites in other countries, languages
// and CMS markups, built without looking at the extractor (see the README for what that means now).
describe.each([
  ['dev', 'test/fixtures/sites', 10],
  ['holdout', 'test/fixtures/holdout', 8],
])('labelled corpus %s (%s)', (_name, dir, minSites) => {
  const pages = loadCorpus(join(__dirname, '../../..', dir));
  const report = scoreCorpus(pages);

  it(`covers at least ${minSites} sites`, () => {
    expect(new Set(pages.map((p) => p.site.site)).size).toBeGreaterThanOrEqual(minSites);
  });
  it('meets the email targets', () => {
    expect(report.emails.precision).toBeGreaterThanOrEqual(TARGETS.emailsPrecision);
    expect(report.emails.recall).toBeGreaterThanOrEqual(TARGETS.emailsRecall);
  });
  it('meets the phone targets', () => {
    expect(report.phones.precision).toBeGreaterThanOrEqual(TARGETS.phonesPrecision);
    expect(report.phones.recall).toBeGreaterThanOrEqual(TARGETS.phonesRecall);
  });
  it('meets the people, jobLevel, socials and directory targets', () => {
    expect(report.people.f1).toBeGreaterThanOrEqual(TARGETS.peopleF1);
    expect(report.jobLevel.accuracy).toBeGreaterThanOrEqual(TARGETS.jobLevelAccuracy);
    expect(report.socials.precision).toBeGreaterThanOrEqual(TARGETS.socialsPrecision);
    expect(report.directoryRows.recall).toBeGreaterThanOrEqual(TARGETS.directoryRowsRecall);
  });
  it('never extracts a labelled trap address', () => {
    expect(report.errors.filter((e) => e.includes('trap email'))).toEqual([]);
  });
});
