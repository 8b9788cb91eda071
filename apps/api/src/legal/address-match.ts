const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A test for an email address as a whole token in lower-cased text: `jane@acme.com` is in
 * "write to jane@acme.com." but not in `xjane@acme.com` or `jane@acme.com.au`.
 */
export function addressMatcher(email: string): (text: string) => boolean {
  const whole = new RegExp(`(^|[^a-z0-9._%+-])${escapeRegExp(email.trim().toLowerCase())}($|[^a-z0-9_%+.-]|\\.(?![a-z0-9]))`);
  return (text) => whole.test(text.toLowerCase());
}
