import { describe, expect, it } from 'vitest';
import { parseSeeds } from './seeds';

describe('parseSeeds', () => {
  it('accepts URLs one per line or separated by commas and spaces, adding https:// to bare hosts', () => {
    const result = parseSeeds('https://acme.io/team\n  northwind.example.com , http://127.0.0.1:8080/\n\n');
    expect(result.seeds).toEqual(['https://acme.io/team', 'https://northwind.example.com/', 'http://127.0.0.1:8080/']);
    expect(result.problems).toEqual([]);
  });

  it('reports each invalid seed with its line and reason', () => {
    const result = parseSeeds('ftp://files.example.com\nhttps://user:pw@acme.io\nnot a url\nhttps://ok.example.org');
    expect(result.seeds).toEqual(['https://ok.example.org/']);
    expect(result.problems).toEqual([
      { line: 1, value: 'ftp://files.example.com', reason: 'only http and https are crawled' },
      { line: 2, value: 'https://user:pw@acme.io', reason: 'credentials in the URL are not allowed' },
      { line: 3, value: 'not', reason: 'the host has no domain' },
      { line: 3, value: 'a', reason: 'the host has no domain' },
      { line: 3, value: 'url', reason: 'the host has no domain' },
    ]);
  });

  it('drops repeats (ignoring the fragment) and counts them', () => {
    const result = parseSeeds('https://acme.io/\nhttps://acme.io/#team\nacme.io');
    expect(result.seeds).toEqual(['https://acme.io/']);
    expect(result.duplicates).toBe(2);
  });

  it('refuses more seeds than a task takes', () => {
    const text = Array.from({ length: 4 }, (_, index) => `https://s${index}.example.com`).join('\n');
    expect(parseSeeds(text, 3).problems).toEqual([{ line: 0, value: '', reason: 'at most 3 seeds per task (4 given)' }]);
  });
});
