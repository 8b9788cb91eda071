import { describe, expect, it } from 'vitest';
import { EMPTY_AUDIT_FILTERS, auditApiQuery, auditFiltersError, filtersFromParams, filtersToParams } from './audit-query';

const actor = '0192f0a0-0000-7000-8000-000000000001';

describe('audit log filters', () => {
  it('turns the filters into URL query parameters and back', () => {
    const filters = { action: 'auth.login.', actorUserId: actor, from: '2026-03-01', to: '2026-03-31' };
    const params = filtersToParams(filters);
    expect(params).toEqual({ action: 'auth.login.', actor, from: '2026-03-01', to: '2026-03-31' });
    expect(filtersFromParams(params)).toEqual(filters);
  });

  it('removes empty filters from the URL', () => {
    expect(filtersToParams({ ...EMPTY_AUDIT_FILTERS, action: '  ' })).toEqual({ action: null, actor: null, from: null, to: null });
  });

  it('drops malformed values from a shared URL', () => {
    expect(filtersFromParams({ action: 'DROP TABLE', actor: 'me', from: '01/03/2026', to: '2026-03-31' })).toEqual({ ...EMPTY_AUDIT_FILTERS, to: '2026-03-31' });
  });

  it('builds the API query: only set filters, the cursor, and an inclusive end day', () => {
    const query = auditApiQuery({ action: 'legal.', actorUserId: '', from: '2026-03-01', to: '2026-03-31' }, 50, 'cursor-id');
    expect(query).toEqual({
      limit: 50,
      cursor: 'cursor-id',
      action: 'legal.',
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 3, 1).toISOString(),
    });
    expect(auditApiQuery(EMPTY_AUDIT_FILTERS, 25)).toEqual({ limit: 25 });
  });

  it('explains filters the API would refuse', () => {
    expect(auditFiltersError({ ...EMPTY_AUDIT_FILTERS, action: 'Auth Login' })).toMatch(/^Action/);
    expect(auditFiltersError({ ...EMPTY_AUDIT_FILTERS, actorUserId: 'someone' })).toMatch(/^Actor/);
    expect(auditFiltersError({ ...EMPTY_AUDIT_FILTERS, from: '2026-04-02', to: '2026-04-01' })).toBe('The start date is after the end date');
    expect(auditFiltersError({ ...EMPTY_AUDIT_FILTERS, action: 'auth.login.succeeded', from: '2026-04-01', to: '2026-04-01' })).toBeNull();
  });
});
