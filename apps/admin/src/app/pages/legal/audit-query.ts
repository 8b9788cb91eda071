import type { Params } from '@angular/router';
import type { RecordsAuditLogData } from '@leadforge/sdk';

/** The audit log filters as the form holds them: dates are yyyy-mm-dd (local days). */
export interface AuditFilters {
  action: string;
  actorUserId: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { action: '', actorUserId: '', from: '', to: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTION = /^[a-z0-9_.]{1,100}$/;

/** Filters from the page URL (unknown or malformed values are dropped, so a shared link never breaks the page). */
export function filtersFromParams(params: Params): AuditFilters {
  const text = (name: string): string => (typeof params[name] === 'string' ? (params[name] as string).trim() : '');
  const action = text('action');
  const actorUserId = text('actor');
  const from = text('from');
  const to = text('to');
  return {
    action: ACTION.test(action) ? action : '',
    actorUserId: UUID.test(actorUserId) ? actorUserId.toLowerCase() : '',
    from: DAY.test(from) ? from : '',
    to: DAY.test(to) ? to : '',
  };
}

/** The page URL's query parameters for the filters: empty ones are left out (null removes them on merge). */
export function filtersToParams(filters: AuditFilters): Params {
  return {
    action: filters.action.trim() || null,
    actor: filters.actorUserId.trim() || null,
    from: filters.from || null,
    to: filters.to || null,
  };
}

/** Start of a local day as an ISO instant; `to` is inclusive in the form, so it becomes the next day's start. */
function dayStart(day: string, addDays = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + addDays).toISOString();
}

/** The API query for the filters and a page. */
export function auditApiQuery(filters: AuditFilters, limit: number, cursor?: string | null): NonNullable<RecordsAuditLogData['query']> {
  return {
    limit,
    ...(cursor ? { cursor } : {}),
    ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
    ...(filters.actorUserId.trim() ? { actorUserId: filters.actorUserId.trim() } : {}),
    ...(filters.from ? { from: dayStart(filters.from) } : {}),
    ...(filters.to ? { to: dayStart(filters.to, 1) } : {}),
  };
}

/** Why the filters cannot be sent, or null. */
export function auditFiltersError(filters: AuditFilters): string | null {
  if (filters.action.trim() && !ACTION.test(filters.action.trim())) return 'Action: lower-case letters, digits, dots and underscores (e.g. auth.login. or legal.dsar_exported)';
  if (filters.actorUserId.trim() && !UUID.test(filters.actorUserId.trim())) return 'Actor: a user id (UUID)';
  if (filters.from && filters.to && filters.from > filters.to) return 'The start date is after the end date';
  return null;
}
