import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import type { OptOutRequestBody } from '@leadforge/sdk';

export type OptOutKind = 'email' | 'profileUrl' | 'domain';

export const OPT_OUT_KINDS: ReadonlyArray<{ kind: OptOutKind; label: string; hint: string; max: number }> = [
  { kind: 'email', label: 'Email address', hint: 'We mail a confirmation link to it; the opt-out takes effect when you follow it.', max: 254 },
  { kind: 'profileUrl', label: 'Profile URL', hint: 'A public profile page about you (http or https). Takes effect at once.', max: 2048 },
  { kind: 'domain', label: 'Domain', hint: 'A domain you control, e.g. example.com. Takes effect at once.', max: 253 },
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/i;

/** Why `value` is not acceptable as an opt-out of `kind`, or null when it is. */
export function optOutValueError(kind: OptOutKind, raw: string): string | null {
  const value = raw.trim();
  const max = OPT_OUT_KINDS.find((item) => item.kind === kind)!.max;
  if (!value) return 'Enter a value';
  if (value.length > max) return `At most ${max} characters`;
  if (kind === 'email' && !EMAIL.test(value)) return 'Enter a valid email address';
  if (kind === 'profileUrl') {
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Enter an http(s) URL';
    } catch {
      return 'Enter a full URL starting with https://';
    }
  }
  if (kind === 'domain' && !DOMAIN.test(value.replace(/\.$/, ''))) return 'Enter a domain such as example.com';
  return null;
}

/** Validator of the `value` control: checks it against the sibling `kind` control (re-run it when the kind changes). */
export const optOutValueValidator: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const kind = control.parent?.get('kind')?.value as OptOutKind | undefined;
  if (!kind) return null;
  const message = optOutValueError(kind, String(control.value ?? ''));
  return message ? { optOut: message } : null;
};

/** The request body: exactly one of the three fields, trimmed. */
export function optOutBody(kind: OptOutKind, value: string): OptOutRequestBody {
  return { [kind]: value.trim() } as OptOutRequestBody;
}
