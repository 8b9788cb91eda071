import type { LeadsListData } from '@leadforge/sdk';

export type LeadQuery = NonNullable<LeadsListData['query']>;
export type LeadFilters = Omit<LeadQuery, 'sort' | 'order' | 'limit' | 'cursor'>;

export interface FilterState {
  q: string;
  status: string[];
  jobLevel: string[];
  businessType: string[];
  platform: string[];
  minConfidence: number;
  hasEmail: boolean;
  hasPhone: boolean;
  country: string;
  tags: string;
  taskId: string;
}

export const EMPTY_FILTERS: FilterState = { q: '', status: [], jobLevel: [], businessType: [], platform: [], minConfidence: 0, hasEmail: false, hasPhone: false, country: '', tags: '', taskId: '' };

/** The query of GET leads (and of the exports and analytics) for what the filter panel shows: empty values are left out. */
export function toLeadFilters(state: FilterState): LeadFilters {
  const filters: LeadFilters = {};
  if (state.q.trim()) filters.q = state.q.trim().slice(0, 200);
  if (state.status.length) filters.status = state.status as LeadFilters['status'];
  if (state.jobLevel.length) filters.jobLevel = state.jobLevel as LeadFilters['jobLevel'];
  if (state.businessType.length) filters.businessType = state.businessType as LeadFilters['businessType'];
  if (state.platform.length) filters.platform = state.platform as LeadFilters['platform'];
  if (state.minConfidence > 0) filters.minConfidence = state.minConfidence;
  if (state.hasEmail) filters.hasEmail = true;
  if (state.hasPhone) filters.hasPhone = true;
  if (state.country.trim()) filters.country = state.country.trim();
  const tags = state.tags.split(',').map((tag) => tag.trim()).filter(Boolean);
  if (tags.length) filters.tags = tags;
  if (state.taskId) filters.taskId = state.taskId;
  return filters;
}

export function activeFilterCount(state: FilterState): number {
  return Object.keys(toLeadFilters({ ...state, q: '' })).length;
}
