import { describe, expect, it } from 'vitest';
import { renderEmail } from './templates';

describe('email templates', () => {
  it('render a text and an HTML part with the link in both', () => {
    const email = renderEmail('reset-password', { name: 'Ada', link: 'https://app.example/reset-password?token=abc' });
    expect(email.subject).toBe('Reset your password');
    expect(email.text).toContain('https://app.example/reset-password?token=abc');
    expect(email.html).toContain('href="https://app.example/reset-password?token=abc"');
    expect(email.text).toContain('Hello Ada,');
  });

  it('escape user-controlled text in HTML', () => {
    const email = renderEmail('invitation', {
      organizationName: '<script>alert(1)</script>',
      inviterName: 'Eve "the" <b>',
      role: 'member',
      link: 'https://app.example/accept-invitation?token=x&y=<z>',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('token=x&amp;y=&lt;z&gt;');
    expect(email.text).toContain('<script>alert(1)</script>');
  });
});
