import { describe, expect, it } from 'vitest';
import { likePattern } from './admin.repository';

describe('likePattern', () => {
  it('matches the term anywhere, with LIKE wildcards and the escape character taken literally', () => {
    expect(likePattern('ada')).toBe('%ada%');
    expect(likePattern('100%')).toBe('%100\\%%');
    expect(likePattern('a_b')).toBe('%a\\_b%');
    expect(likePattern('back\\slash')).toBe('%back\\\\slash%');
  });
});
