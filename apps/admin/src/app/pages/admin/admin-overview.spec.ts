import type { AdminStatsResponse } from '@leadforge/sdk';
import { describe, expect, it } from 'vitest';
import { overviewCards } from './admin-overview';

const stats: AdminStatsResponse = {
  users: { total: 1234, verified: 1200, suspended: 3, platformAdmins: 2, newLast7Days: 40 },
  orgs: { total: 950, byPlan: [{ plan: 'free', orgs: 900 }, { plan: 'pro', orgs: 45 }, { plan: 'business', orgs: 5 }] },
  tasks: { last24HoursByStatus: [{ status: 'queued', tasks: 2 }, { status: 'running', tasks: 3 }, { status: 'completed', tasks: 10 }], runningNow: 4 },
  leads: { total: 2_500_000, createdLast24Hours: 12_000 },
  credits: { consumedLast30Days: 48_000 },
  queues: [],
  generatedAt: '2026-11-22T01:00:00Z',
};

describe('admin overview cards', () => {
  it('summarises users, organizations by plan, tasks, leads and credits', () => {
    const cards = Object.fromEntries(overviewCards(stats).map((card) => [card.label, card]));
    expect(cards['Users']).toEqual({ label: 'Users', value: '1,234', note: '40 new in 7 days · 1,200 confirmed · 3 suspended · 2 platform admins' });
    expect(cards['Organizations']!.note).toBe('900 Free · 45 Pro · 5 Business');
    expect(cards['Tasks (24 h)']).toMatchObject({ value: '15', note: '4 running now' });
    expect(cards['Leads']).toMatchObject({ value: '2,500,000', note: '12,000 created in 24 h' });
    expect(cards['Credits spent (30 days)']!.value).toBe('48,000');
  });
});
