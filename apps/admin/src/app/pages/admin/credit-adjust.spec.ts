import { FormControl } from '@angular/forms';
import { describe, expect, it } from 'vitest';
import { creditDelta } from './credit-adjust';

describe('credit adjustment', () => {
  it('accepts whole, non-zero credits within ±1,000,000 only', () => {
    const errors = (value: unknown) => creditDelta(new FormControl(value));
    expect(errors(500)).toBeNull();
    expect(errors(-50)).toBeNull();
    expect(errors('25')).toBeNull();
    expect(errors(null)).toEqual({ required: true });
    expect(errors('')).toEqual({ required: true });
    expect(errors(1.5)).toEqual({ integer: true });
    expect(errors(0)).toEqual({ zero: true });
    expect(errors(1_000_001)).toEqual({ range: true });
    expect(errors(-1_000_001)).toEqual({ range: true });
  });
});
