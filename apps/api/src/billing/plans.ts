export const PLAN_IDS = ['free', 'pro', 'business'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface PlanLimits {
  id: PlanId;
  name: string;
  /** Credits granted each month (one credit = one page fetched). */
  monthlyCredits: number;
  /** Tasks queued, running or paused at once. */
  concurrentTasks: number;
  /** Largest `options.maxPages` (pages per seed) a task may ask for. */
  maxPagesPerSeed: number;
  seats: number;
}

export const PLANS: Record<PlanId, PlanLimits> = {
  free: { id: 'free', name: 'Free', monthlyCredits: 1_000, concurrentTasks: 2, maxPagesPerSeed: 200, seats: 3 },
  pro: { id: 'pro', name: 'Pro', monthlyCredits: 25_000, concurrentTasks: 5, maxPagesPerSeed: 2_000, seats: 10 },
  business: { id: 'business', name: 'Business', monthlyCredits: 150_000, concurrentTasks: 20, maxPagesPerSeed: 10_000, seats: 50 },
};
