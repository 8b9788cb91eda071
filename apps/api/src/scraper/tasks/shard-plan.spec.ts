import { describe, expect, it } from 'vitest';
import { applyOptionDefaults, normalizeSeeds, planShards } from './shard-plan';

describe('planShards', () => {
  it('makes one shard per host with maxPages for each of its seeds', () => {
    const shards = planShards(['https://a.example/', 'https://b.example/x', 'https://A.example/team', 'http://a.example:8080/'], 10);
    expect(shards).toEqual([
      { position: 0, host: 'a.example', seeds: ['https://a.example/', 'https://A.example/team'], budget: 20 },
      { position: 1, host: 'b.example', seeds: ['https://b.example/x'], budget: 10 },
      { position: 2, host: 'a.example:8080', seeds: ['http://a.example:8080/'], budget: 10 },
    ]);
  });
});

describe('normalizeSeeds', () => {
  it('drops fragments and exact duplicates, keeping order', () => {
    expect(normalizeSeeds(['https://a.example/#top', 'https://a.example/', ' https://b.example/p?q=1 '])).toEqual(['https://a.example/', 'https://b.example/p?q=1']);
  });
});

describe('applyOptionDefaults', () => {
  it('fills what is missing and keeps what is given, including false and 0', () => {
    const options = applyOptionDefaults({ maxPages: 5, respectRobots: false, delayMs: 0 });
    expect(options).toMatchObject({ maxPages: 5, respectRobots: false, delayMs: 0, maxDepth: 2, sameDomain: true, render: 'http' });
  });
});
