/** Rendered email: a plain-text part and an HTML part with the same content. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailVariables {
  'verify-email': { name: string; link: string };
  'reset-password': { name: string; link: string };
  invitation: { organizationName: string; inviterName: string; role: string; link: string; expiresAt: string };
  welcome: { name: string; consoleUrl: string };
  'payment-failed': { name: string; organizationName: string; amountDue: string; link: string };
  'webhook-disabled': { name: string; organizationName: string; url: string; reason: string; link: string };
  'opt-out-confirm': { link: string; expiresInHours: number };
}

export type EmailTemplate = keyof EmailVariables;
export const EMAIL_TEMPLATES: EmailTemplate[] = ['verify-email', 'reset-password', 'invitation', 'welcome', 'payment-failed', 'webhook-disabled', 'opt-out-confirm'];

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

interface Layout {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer: string;
}

function render(layout: Layout): RenderedEmail {
  const text = [
    layout.greeting,
    '',
    ...layout.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(layout.action ? [`${layout.action.label}: ${layout.action.url}`, ''] : []),
    '-- ',
    layout.footer,
  ].join('\n');
  const button = layout.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(layout.action.url)}" style="background:#1f6feb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(layout.action.label)}</a></p>
<p style="color:#57606a;font-size:13px">If the button does not work, open this address: <br><a href="${escapeHtml(layout.action.url)}">${escapeHtml(layout.action.url)}</a></p>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(layout.subject)}</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;max-width:560px;margin:0 auto;padding:24px">
<p>${escapeHtml(layout.greeting)}</p>
${layout.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${button}
<hr style="border:none;border-top:1px solid #d0d7de;margin:32px 0 16px">
<p style="color:#57606a;font-size:12px">${escapeHtml(layout.footer)}</p>
</body></html>`;
  return { subject: layout.subject, text, html };
}

const FOOTER = 'Leadforge. You receive this email because of an action on your Leadforge account.';

const renderers: { [T in EmailTemplate]: (variables: EmailVariables[T]) => RenderedEmail } = {
  'verify-email': ({ name, link }) =>
    render({
      subject: 'Confirm your email address',
      greeting: `Hello ${name},`,
      paragraphs: ['Please confirm that this is your email address. The link is valid for 24 hours.', 'If you did not create a Leadforge account, ignore this email.'],
      action: { label: 'Confirm email address', url: link },
      footer: FOOTER,
    }),
  'reset-password': ({ name, link }) =>
    render({
      subject: 'Reset your password',
      greeting: `Hello ${name},`,
      paragraphs: [
        'Someone asked to reset the password of your Leadforge account. The link works once and expires in one hour.',
        'If it was not you, ignore this email: your password stays as it is.',
      ],
      action: { label: 'Choose a new password', url: link },
      footer: FOOTER,
    }),
  invitation: ({ organizationName, inviterName, role, link, expiresAt }) =>
    render({
      subject: `${inviterName} invited you to ${organizationName} on Leadforge`,
      greeting: 'Hello,',
      paragraphs: [
        `${inviterName} invited you to join ${organizationName} on Leadforge as ${role === 'admin' ? 'an admin' : 'a member'}.`,
        `The invitation is valid until ${expiresAt}. Sign in (or create an account with this email address) to accept it.`,
      ],
      action: { label: 'Accept the invitation', url: link },
      footer: 'Leadforge. If you do not know the sender, ignore this email.',
    }),
  welcome: ({ name, consoleUrl }) =>
    render({
      subject: 'Welcome to Leadforge',
      greeting: `Welcome, ${name}!`,
      paragraphs: [
        'Your email address is confirmed and your account is ready.',
        'Start a crawl of a website, a directory or a sitemap; Leadforge extracts people and companies, scores them and streams the progress live.',
      ],
      action: { label: 'Open Leadforge', url: consoleUrl },
      footer: FOOTER,
    }),
  'payment-failed': ({ name, organizationName, amountDue, link }) =>
    render({
      subject: `Payment failed for ${organizationName}`,
      greeting: `Hello ${name},`,
      paragraphs: [
        `We could not collect ${amountDue} for the Leadforge subscription of ${organizationName}. Stripe will retry the payment over the next days.`,
        'Until the invoice is paid, new scrape tasks cannot start; running tasks and your leads are not affected. Please update the payment method in the billing portal.',
      ],
      action: { label: 'Open billing', url: link },
      footer: FOOTER,
    }),
  'webhook-disabled': ({ name, organizationName, url, reason, link }) =>
    render({
      subject: `A webhook endpoint of ${organizationName} was disabled`,
      greeting: `Hello ${name},`,
      paragraphs: [
        `Leadforge stopped sending webhooks to ${url} because ${reason}.`,
        'Events that happen while it is disabled are not delivered to it. Fix the receiver, then enable the endpoint again; failed deliveries can be sent again from their delivery log.',
      ],
      action: { label: 'Open webhooks', url: link },
      footer: FOOTER,
    }),
  'opt-out-confirm': ({ link, expiresInHours }) =>
    render({
      subject: 'Confirm your opt-out from Leadforge',
      greeting: 'Hello,',
      paragraphs: [
        `Someone asked that this email address be removed from Leadforge and never collected again. Confirm it with the button below; the link works once and expires in ${expiresInHours} hours.`,
        'Once confirmed, every organization on Leadforge loses the records that contain this address, and new crawls skip it. We keep only a keyed fingerprint of the address, which cannot be turned back into it.',
        'If you did not ask for this, ignore this email: nothing changes.',
      ],
      action: { label: 'Confirm the opt-out', url: link },
      footer: 'Leadforge. You receive this email because an opt-out was requested for this address.',
    }),
};

export function renderEmail<T extends EmailTemplate>(template: T, variables: EmailVariables[T]): RenderedEmail {
  return renderers[template](variables);
}
