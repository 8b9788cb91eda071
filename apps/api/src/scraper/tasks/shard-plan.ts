import { TASK_OPTION_DEFAULTS, type TaskOptions } from './task-options';

export interface PlannedShard {
  position: number;
  host: string;
  seeds: string[];
  budget: number;
}

/** Seeds normalized for storage: hash fragments dropped, exact duplicates removed, order kept. */
export function normalizeSeeds(seeds: string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const seed of seeds) {
    const url = new URL(seed.trim());
    url.hash = '';
    const href = url.href;
    if (!seen.has(href)) {
      seen.add(href);
      result.push(href);
    }
  }
  return result;
}

/** One shard per seed host; each gets maxPages pages for each of its seeds. */
export function planShards(seeds: string[], maxPages: number): PlannedShard[] {
  const byHost = new Map<string, string[]>();
  for (const seed of seeds) {
    const host = new URL(seed).host.toLowerCase();
    const list = byHost.get(host) ?? [];
    list.push(seed);
    byHost.set(host, list);
  }
  return [...byHost.entries()].map(([host, hostSeeds], position) => ({ position, host, seeds: hostSeeds, budget: hostSeeds.length * maxPages }));
}

export function applyOptionDefaults(options: Partial<TaskOptions> | undefined): TaskOptions {
  const merged: TaskOptions = { ...TASK_OPTION_DEFAULTS };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}
