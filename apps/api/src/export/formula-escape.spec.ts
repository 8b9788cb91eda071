import { describe, expect, it } from 'vitest';
import { escapeFormula } from './formula-escape';

describe('escapeFormula', () => {
  it.each(['=HYPERLINK("http://x","y")', '+cmd|/C calc!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '+49 30 boom'])('prefixes %j', (value) => {
    expect(escapeFormula(value)).toBe(`'${value}`);
  });

  it.each(['Jane Doe', 'a=b', '', '+4930123456', '+4930123456 +14155550100', "'already"])('leaves %j', (value) => {
    expect(escapeFormula(value)).toBe(value);
  });
});
