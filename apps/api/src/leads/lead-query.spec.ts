import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, leadWhere, orderSql, searchWords, SqlParams } from './lead-query';

describe('searchWords', () => {
  it('splits like lead_search_terms(): lower case, letters and digits, cut at 32, at most 8', () => {
    expect(searchWords('Anna  MÜLLER-Lüdenscheidt, jane.doe@Acme.de')).toEqual(['anna', 'müller', 'lüdenscheidt', 'jane', 'doe', 'acme', 'de']);
    expect(searchWords('x'.repeat(40))).toEqual(['x'.repeat(32)]);
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
    expect(searchWords('--- ...')).toEqual([]);
  });
});

describe('leadWhere', () => {
  it('binds every value as a parameter', () => {
    const p = new SqlParams();
    const sql = leadWhere(p.add('org'), { jobLevel: ['manager'], businessType: ['software', 'dental'], q: "o'neil; DROP", minConfidence: 40, hasEmail: true }, p);
    expect(sql).not.toContain("o'neil");
    expect(sql).toContain('l.job_level = $2');
    expect(sql).toContain('l.business_type = ANY ($3::text[])');
    expect(p.values).toEqual(['org', 'manager', ['software', 'dental'], 40, ['o', 'neil', 'drop'], ['o\u{10ffff}', 'neil\u{10ffff}', 'drop\u{10ffff}']]);
    expect(sql).toContain('HAVING count(DISTINCT w.lo) = 3');
  });

  it('matches nothing for a q without words, and scopes deleted rows', () => {
    const p = new SqlParams();
    expect(leadWhere(p.add('org'), { q: '!!' }, p)).toContain('false');
    expect(leadWhere('$1', {}, new SqlParams(), 'deleted')).toBe('l.org_id = $1\n   AND l.deleted_at IS NOT NULL');
  });
});

describe('cursor', () => {
  it('round-trips and is bound to its sort and order', () => {
    const keyset = { sort: 'confidence' as const, order: 'desc' as const, value: '42', id: '0190a000-0000-7000-8000-000000000001' };
    const cursor = encodeCursor(keyset);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'confidence', 'desc')).toEqual(keyset);
    expect(() => decodeCursor(cursor, 'confidence', 'asc')).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
    expect(() => decodeCursor(cursor, 'createdAt', 'desc')).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
    expect(() => decodeCursor(encodeCursor({ ...keyset, value: '1 OR 1=1' }), 'confidence', 'desc')).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
    expect(() => decodeCursor('not json', 'confidence', 'desc')).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
  });

  it('compares (key, id) as a row in the sort direction', () => {
    const p = new SqlParams();
    const order = orderSql('companyName', 'asc', { sort: 'companyName', order: 'asc', value: 'Acme', id: '0190a000-0000-7000-8000-000000000001' }, p);
    expect(order.after).toBe(`(COALESCE(l.company_name, ''), l.id) > ($1::text, $2::uuid)`);
    expect(order.orderBy).toBe(`COALESCE(l.company_name, '') ASC, l.id ASC`);
  });
});
