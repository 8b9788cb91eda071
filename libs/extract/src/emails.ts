import { parse as parseDomain } from 'tldts';
import type { PageScan } from './dom';

export type EmailSource = 'mailto' | 'text' | 'obfuscated' | 'cloudflare' | 'script' | 'structured';

export interface RawEmail {
  email: string;
  source: EmailSource;
}

const DUMMY_DOMAINS = new Set([
  'example.com', 'example.org', 'example.net', 'domain.com', 'email.com', 'yourdomain.com', 'yourcompany.com',
  'company.com', 'mysite.com', 'yoursite.com', 'website.com', 'sentry.io', 'wixpress.com', 'test.com', 'test.de',
  'mustermann.de', 'musterfirma.de', 'beispiel.de', 'exemple.fr', 'ejemplo.com', 'voorbeeld.nl', 'placeholder.com',
]);
const DUMMY_LABELS = new Set(['example', 'test', 'invalid', 'localhost', 'sentry', 'wixpress', 'yourdomain', 'yourcompany', 'domain', 'beispiel']);
const DUMMY_SUFFIXES = new Set(['test', 'example', 'invalid', 'localhost', 'local']);
const PLACEHOLDER_LOCALS = new Set([
  'you', 'yourname', 'your.name', 'your-email', 'youremail', 'your.email', 'name', 'username', 'user', 'email', 'firstname.lastname',
  'first.last', 'firstname', 'vorname.nachname', 'prenom.nom', 'john.doe', 'jane.doe', 'johndoe', 'janedoe', 'max.mustermann',
  'someone', 'somebody', 'me',
]);
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'bmp', 'ico', 'tif', 'tiff', 'css', 'js', 'mjs', 'json', 'xml', 'pdf',
  'zip', 'gz', 'mp3', 'mp4', 'mov', 'webm', 'woff', 'woff2', 'ttf', 'eot', 'html', 'htm', 'php',
]);

const ROLE_LOCALS = new Set([
  'info', 'sales', 'support', 'hello', 'hi', 'contact', 'office', 'admin', 'kontakt', 'team', 'mail', 'enquiries', 'enquiry',
  'inquiries', 'help', 'service', 'services', 'careers', 'career', 'jobs', 'hr', 'press', 'media', 'marketing', 'billing',
  'accounts', 'accounting', 'finance', 'privacy', 'legal', 'noreply', 'no-reply', 'webmaster', 'postmaster', 'bewerbung',
  'karriere', 'buchhaltung', 'datenschutz', 'reservations', 'reservation', 'booking', 'bookings', 'reception', 'studio',
  'welcome', 'hallo', 'bonjour', 'contacto', 'reservas', 'recepcion', 'recruiting', 'talent', 'partners', 'partnerships',
  'newsletter', 'orders', 'order', 'shop', 'store', 'feedback', 'security', 'abuse', 'dpo', 'gdpr', 'compliance', 'investors',
  'ir', 'events', 'verkauf', 'vertrieb', 'anfrage', 'anfragen', 'zentrale', 'praxis', 'kanzlei', 'buero', 'bureau',
  'accueil', 'recrutement', 'commercial', 'direction', 'klantenservice', 'planning', 'logistics', 'logistiek', 'dispatch',
  'frontdesk', 'general', 'donations', 'donate', 'volunteer', 'volunteers', 'membership', 'editor', 'editorial', 'news',
]);

const FREE_MAIL = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.es', 'hotmail.com',
  'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'hotmail.es', 'outlook.com', 'outlook.de', 'live.com', 'live.co.uk',
  'live.nl', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'gmx.de', 'gmx.net', 'gmx.at', 'gmx.ch', 'web.de',
  't-online.de', 'freenet.de', 'posteo.de', 'mail.ru', 'yandex.ru', 'yandex.com', 'proton.me', 'protonmail.com',
  'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'libero.it', 'zoho.com', 'mail.com', 'bigpond.com',
  'btinternet.com', 'sky.com', 'virginmedia.com', 'ziggo.nl', 'kpnmail.nl', 'hetnet.nl', 'telefonica.net', 'qq.com',
  '163.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'eircom.net', 'optusnet.com.au',
]);

const LOCAL = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const PLAIN_RE = new RegExp(`(?<![a-z0-9._%+-])(${LOCAL})@(${LABEL}(?:\\.${LABEL})+)`, 'gi');
// The bracketed "at" and "dot" words in the languages sites write them in: at, ät, arroba, chiocciola,
// snabel-a, małpa; dot, punto, punkt, point, ponto, kropka, prick, piste.
const AT_WORD = String.raw`(?:at|ät|arroba|chiocciola|snabel-?a|ma[łl]pa|@)`;
const DOT_WORD = String.raw`(?:dot|punto|punkt|point|ponto|kropka|prick|piste)`;
const AT = String.raw`\s*(?:\[\s*${AT_WORD}\s*\]|\(\s*${AT_WORD}\s*\)|\{\s*${AT_WORD}\s*\}|<\s*${AT_WORD}\s*>)\s*`;
const DOT = String.raw`(?:\s*(?:\[\s*${DOT_WORD}\s*\]|\(\s*${DOT_WORD}\s*\)|\{\s*${DOT_WORD}\s*\}|<\s*${DOT_WORD}\s*>)\s*|\.)`;
const OBFUSCATED_RE = new RegExp(`(?<![a-z0-9._%+-])(${LOCAL})${AT}(${LABEL}(?:${DOT}${LABEL})+)`, 'gi');
// "name at domain dot com": the bare word form is only trusted when the dots are spelled too.
const WORDS_RE = new RegExp(`(?<![a-z0-9._%+-])(${LOCAL}) at (${LABEL}(?: dot ${LABEL})+)\\b`, 'gi');
const DOT_TOKEN_RE = new RegExp(String.raw`\s*(?:\[\s*${DOT_WORD}\s*\]|\(\s*${DOT_WORD}\s*\)|\{\s*${DOT_WORD}\s*\}|<\s*${DOT_WORD}\s*>)\s*| dot `, 'gi');
const OBFUSCATION_HINT_RE = new RegExp(String.raw`[[({<]\s*${AT_WORD}\s*[\])}>]`, 'i');
/** Full-width and small commercial at signs (common on Japanese and Chinese sites). */
const WIDE_AT_RE = /[\uff20\ufe6b]/g;
/** user@host:path is an scp/git remote, not a mailbox. */
const SCP_AFTER_RE = /^:[\w~/.-]/;

/** Lower-cases and validates an address; null when it is not a real, deliverable-looking address. */
export function normalizeEmail(candidate: string): string | null {
  const email = candidate.trim().toLowerCase().replace(/^mailto:/, '');
  if (email.length > 254) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !new RegExp(`^${LOCAL}$`, 'i').test(local)) return null;
  if (!new RegExp(`^${LABEL}(?:\\.${LABEL})+$`, 'i').test(domain)) return null;
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (FILE_EXTENSIONS.has(tld) || /^\d+$/.test(tld)) return null;
  const parsed = parseDomain(domain);
  if (!parsed.domain || !parsed.publicSuffix || !parsed.isIcann) return null;
  if (DUMMY_DOMAINS.has(parsed.domain) || DUMMY_SUFFIXES.has(parsed.publicSuffix)) return null;
  if (parsed.domainWithoutSuffix && DUMMY_LABELS.has(parsed.domainWithoutSuffix)) return null;
  if (PLACEHOLDER_LOCALS.has(local)) return null;
  // Error-tracker DSNs and site-builder ids: long hex or numeric local parts.
  if (/^[0-9a-f]{16,}$/.test(local) || /^\d{8,}$/.test(local)) return null;
  if (/(^|\.)(ingest|o\d+)\./.test(domain)) return null;
  return email;
}

export function isRoleMailbox(email: string): boolean {
  const local = email.slice(0, email.indexOf('@')).split('+')[0];
  if (ROLE_LOCALS.has(local)) return true;
  const head = local.split(/[._-]/)[0];
  return ROLE_LOCALS.has(head) && local.length <= head.length + 5;
}

export function isFreeMail(email: string): boolean {
  return FREE_MAIL.has(email.slice(email.indexOf('@') + 1));
}

export function emailDomain(email: string): string | null {
  return parseDomain(email.slice(email.indexOf('@') + 1)).domain;
}

/** Cloudflare's email protection: the first byte is the XOR key for the rest. */
export function decodeCfEmail(hex: string): string | null {
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length < 4 || hex.length % 2 !== 0) return null;
  const key = parseInt(hex.slice(0, 2), 16);
  let out = '';
  for (let i = 2; i < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16) ^ key);
  return out;
}

export function emailsFromMailto(href: string): string[] {
  if (!/^\s*mailto:/i.test(href)) return [];
  let body = href.trim().slice(7);
  const q = body.indexOf('?');
  if (q >= 0) body = body.slice(0, q);
  try {
    body = decodeURIComponent(body);
  } catch {
    // keep the raw value; validation rejects anything malformed
  }
  return body.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
}

export function emailsFromText(input: string): RawEmail[] {
  const found: RawEmail[] = [];
  const text = input.includes('\uff20') || input.includes('\ufe6b') ? input.replace(WIDE_AT_RE, '@') : input;
  if (text.includes('@')) {
    for (const m of text.matchAll(PLAIN_RE)) {
      if (SCP_AFTER_RE.test(text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 2))) continue;
      found.push({ email: `${m[1]}@${m[2]}`, source: 'text' });
    }
  }
  if (OBFUSCATION_HINT_RE.test(text)) {
    for (const m of text.matchAll(OBFUSCATED_RE)) {
      found.push({ email: `${m[1]}@${m[2].replace(DOT_TOKEN_RE, '.')}`, source: 'obfuscated' });
    }
  }
  if (/ dot /i.test(text)) {
    for (const m of text.matchAll(WORDS_RE)) {
      found.push({ email: `${m[1]}@${m[2].replace(DOT_TOKEN_RE, '.')}`, source: 'obfuscated' });
    }
  }
  return found;
}

const STRING_LIT = String.raw`(?:'[^'\\\n]*'|"[^"\\\n]*")`;
const OPERAND = String.raw`(?:${STRING_LIT}|[A-Za-z_$][\w$]*)`;
const CONCAT_RE = new RegExp(String.raw`${OPERAND}(?:\s*\+\s*${OPERAND})+`, 'g');
// `var a = 'x' + b;` and every declarator of a list: `var u = "info", d = "acme.se";`.
const ASSIGN_RE = new RegExp(String.raw`(?:\b(?:var|let|const)\s+|,\s*)([A-Za-z_$][\w$]*)\s*=\s*(${OPERAND}(?:\s*\+\s*${OPERAND})*)\s*(?=[;,\n])`, 'g');

/** Addresses assembled in inline scripts from string literals and simple string variables. */
export function emailsFromScript(script: string): RawEmail[] {
  if (!script.includes('+') || !(script.includes('@') || /['"]at['"]/.test(script))) return [];
  const vars = new Map<string, string>();
  const evaluate = (expr: string): string => {
    let value = '';
    for (const part of expr.split(/\s*\+\s*/)) {
      if (part.startsWith("'") || part.startsWith('"')) value += part.slice(1, -1);
      else value += vars.get(part) ?? '\u0000';
    }
    return value;
  };
  for (const m of script.matchAll(ASSIGN_RE)) vars.set(m[1], evaluate(m[2]));
  const found: RawEmail[] = [];
  for (const m of script.matchAll(CONCAT_RE)) {
    const value = evaluate(m[0]);
    if (!value.includes('@')) continue;
    for (const e of emailsFromText(value.replace(/\u0000/g, ' '))) found.push({ email: e.email, source: 'script' });
  }
  return found;
}

/** Every address on the page with how it was found; already validated and de-duplicated. */
export function extractEmails(scan: PageScan): RawEmail[] {
  const raw: RawEmail[] = [];
  for (const link of scan.links) for (const e of emailsFromMailto(link.href)) raw.push({ email: e, source: 'mailto' });
  raw.push(...emailsFromText(scan.text));
  for (const hex of scan.cfEmails) {
    const decoded = decodeCfEmail(hex);
    if (decoded) raw.push({ email: decoded, source: 'cloudflare' });
  }
  for (const s of scan.inlineScripts) raw.push(...emailsFromScript(s));
  const seen = new Map<string, RawEmail>();
  for (const r of raw) {
    const email = normalizeEmail(r.email);
    if (email && !seen.has(email)) seen.set(email, { email, source: r.source });
  }
  return [...seen.values()];
}
