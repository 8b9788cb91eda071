import { FormControl, FormGroup } from '@angular/forms';
import { describe, expect, it } from 'vitest';
import { optOutBody, optOutValueError, optOutValueValidator } from './opt-out-request';

describe('opt-out request', () => {
  it('accepts a value of the chosen kind only', () => {
    expect(optOutValueError('email', ' jane@example.com ')).toBeNull();
    expect(optOutValueError('email', 'jane@')).toBe('Enter a valid email address');
    expect(optOutValueError('profileUrl', 'https://www.linkedin.com/in/jane-doe')).toBeNull();
    expect(optOutValueError('profileUrl', 'linkedin.com/in/jane')).toBe('Enter a full URL starting with https://');
    expect(optOutValueError('profileUrl', 'ftp://example.com/jane')).toBe('Enter an http(s) URL');
    expect(optOutValueError('domain', 'example.co.uk')).toBeNull();
    expect(optOutValueError('domain', 'https://example.com')).toBe('Enter a domain such as example.com');
    expect(optOutValueError('domain', '-bad.example')).toBe('Enter a domain such as example.com');
    expect(optOutValueError('domain', '   ')).toBe('Enter a value');
    expect(optOutValueError('email', `${'a'.repeat(250)}@example.com`)).toBe('At most 254 characters');
  });

  it('validates the value against the chosen kind', () => {
    const form = new FormGroup({ kind: new FormControl('email'), value: new FormControl('example.com', { validators: optOutValueValidator }) });
    form.controls.value.updateValueAndValidity();
    expect(form.controls.value.errors).toEqual({ optOut: 'Enter a valid email address' });
    form.controls.kind.setValue('domain');
    form.controls.value.updateValueAndValidity();
    expect(form.valid).toBe(true);
  });

  it('sends exactly one trimmed field', () => {
    expect(optOutBody('domain', '  example.com ')).toEqual({ domain: 'example.com' });
    expect(optOutBody('email', 'jane@example.com')).toEqual({ email: 'jane@example.com' });
  });
});
