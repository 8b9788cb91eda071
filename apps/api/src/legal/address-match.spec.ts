import { describe, expect, it } from 'vitest';
import { addressMatcher } from './address-match';

describe('addressMatcher', () => {
  const matches = addressMatcher('Sam.Subject@dsar.example');

  it('finds the address as a whole, in any case, at the start, the end or before punctuation', () => {
    for (const text of ['sam.subject@dsar.example', 'Mail SAM.SUBJECT@DSAR.EXAMPLE.', '{"notes":"via sam.subject@dsar.example, thanks"}', '<sam.subject@dsar.example>']) {
      expect(matches(text), text).toBe(true);
    }
  });

  it('ignores longer addresses that contain it', () => {
    for (const text of ['xsam.subject@dsar.example', 'sam.subject@dsar.example.au', 'sam.subject@dsar.examples', 'a.sam.subject@dsar.example', 'sam.subject@dsar.example-two.org']) {
      expect(matches(text), text).toBe(false);
    }
  });

  it('treats regular-expression characters in the address literally', () => {
    expect(addressMatcher('a+b@x.example')('to a+b@x.example')).toBe(true);
    expect(addressMatcher('a.b@x.example')('to axb@x.example')).toBe(false);
  });
});
