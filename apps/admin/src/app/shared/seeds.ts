export interface SeedProblem {
  line: number;
  value: string;
  reason: string;
}

export interface ParsedSeeds {
  seeds: string[];
  problems: SeedProblem[];
  duplicates: number;
}

export const MAX_SEEDS = 1000;
const MAX_URL_LENGTH = 2048;

/**
 * Seeds pasted one per line (commas and spaces separate too). A bare host gets https://; only
 * http(s) URLs without credentials are accepted; repeats are dropped and counted.
 */
export function parseSeeds(text: string, max = MAX_SEEDS): ParsedSeeds {
  const seeds: string[] = [];
  const seen = new Set<string>();
  const problems: SeedProblem[] = [];
  let duplicates = 0;
  text.split(/\r?\n/).forEach((rawLine, index) => {
    for (const value of rawLine.split(/[\s,]+/).filter(Boolean)) {
      const problem = (reason: string) => problems.push({ line: index + 1, value, reason });
      if (value.length > MAX_URL_LENGTH) {
        problem('longer than 2048 characters');
        continue;
      }
      const candidate = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
      let url: URL;
      try {
        url = new URL(candidate);
      } catch {
        problem('not a URL');
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        problem('only http and https are crawled');
        continue;
      }
      if (url.username || url.password) {
        problem('credentials in the URL are not allowed');
        continue;
      }
      if (!url.hostname.includes('.') && url.hostname !== 'localhost' && !url.hostname.startsWith('[')) {
        problem('the host has no domain');
        continue;
      }
      url.hash = '';
      const normalized = url.toString();
      if (seen.has(normalized)) {
        duplicates++;
        continue;
      }
      seen.add(normalized);
      seeds.push(normalized);
    }
  });
  if (seeds.length > max) problems.push({ line: 0, value: '', reason: `at most ${max} seeds per task (${seeds.length} given)` });
  return { seeds, problems, duplicates };
}
