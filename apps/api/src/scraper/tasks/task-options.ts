import type { BusinessType, JobLevel } from '@leadforge/contracts';

/** A task's crawl options as stored, every default applied. */
export interface TaskOptions {
  maxPages: number;
  maxDepth: number;
  sameDomain: boolean;
  respectRobots: boolean;
  render: 'http' | 'browser';
  include: string[];
  exclude: string[];
  concurrency: number;
  delayMs: number;
  requestTimeoutMs: number;
  maxWallTimeSeconds: number;
}

export interface DirectorySelectorsInput {
  item: string;
  fields: Record<string, string>;
  next?: string;
}

export interface CrawlFilters {
  jobLevels?: JobLevel[];
  businessTypes?: BusinessType[];
  minConfidence?: number;
}

export const TASK_OPTION_DEFAULTS: TaskOptions = {
  maxPages: 50,
  maxDepth: 2,
  sameDomain: true,
  respectRobots: true,
  render: 'http',
  include: [],
  exclude: [],
  concurrency: 4,
  delayMs: 250,
  requestTimeoutMs: 20_000,
  maxWallTimeSeconds: 3_600,
};

export const TASK_LIMITS = {
  maxSeeds: 1_000,
  maxPagesCeiling: 10_000,
  maxDepth: 5,
  maxConcurrency: 16,
  maxDelayMs: 60_000,
  minRequestTimeoutMs: 1_000,
  maxRequestTimeoutMs: 60_000,
  minWallTimeSeconds: 10,
  maxWallTimeSeconds: 86_400,
  maxGlobs: 50,
  maxBodyBytes: 5 * 1024 * 1024,
} as const;
