import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/processes';

const APP_MODULE = resolve(ROOT, 'dist/apps/api/src/app.module.js');

/** Packages of the compiled module graph's static imports, i.e. what every process loads at start. */
function loadedAtStart(packages: string[]): string[] {
  const script = `require(${JSON.stringify(APP_MODULE)});
    const loaded = Object.keys(require.cache);
    const packages = ${JSON.stringify(packages)};
    process.stdout.write(JSON.stringify(packages.filter((name) => loaded.some((id) => id.includes('/node_modules/' + name + '/')))));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

describe('what an API-only process loads', () => {
  it('leaves the crawl engine, exceljs, the HTML parser, the zxcvbn dictionaries, the Stripe SDK and nodemailer to the first use (or to a process that runs workers, or billing configured)', () => {
    // The module graph is loaded; pg-boss, Nest and the rest of it are there, the heavy optional parts are not.
    expect(loadedAtStart(['@nestjs/core', 'pg-boss'])).toEqual(['@nestjs/core', 'pg-boss']);
    expect(loadedAtStart(['@crawlee/core', '@crawlee/cheerio', '@crawlee/playwright', 'playwright-core', 'exceljs', '@zxcvbn-ts/core', '@zxcvbn-ts/language-en', 'stripe', 'cheerio', 'nodemailer'])).toEqual([]);
  });
});
