import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

export interface PageLink {
  href: string;
  el: Element;
}

/** Everything the extractors need from one walk over the document. */
export interface PageScan {
  /** Visible text; block elements end a line, so a line never spans two blocks. */
  text: string;
  links: PageLink[];
  inlineScripts: string[];
  jsonLd: string[];
  cfEmails: string[];
  /** Top-level microdata items and hCard roots, found during the same walk. */
  itemScopes: Element[];
  hCards: Element[];
  lang: string | null;
  title: string;
  metaDescription: string;
  siteName: string | null;
  /** Text of the first h1. */
  h1: string;
}

const SKIP = new Set(['style', 'noscript', 'template', 'svg', 'textarea', 'select', 'option', 'iframe', 'canvas', 'object', 'title', 'button']);
const BLOCK = new Set([
  'p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'br', 'section', 'article',
  'header', 'footer', 'nav', 'aside', 'address', 'dd', 'dt', 'dl', 'table', 'form', 'blockquote', 'figure',
  'figcaption', 'main', 'pre', 'hr', 'tbody', 'thead', 'label', 'body', 'html',
]);

export function scanPage($: CheerioAPI): PageScan {
  const out: string[] = [];
  const links: PageLink[] = [];
  const inlineScripts: string[] = [];
  const jsonLd: string[] = [];
  const cfEmails: string[] = [];
  const itemScopes: Element[] = [];
  const hCards: Element[] = [];
  let title = '';
  let metaDescription = '';
  let siteName: string | null = null;
  let lang: string | null = null;
  let h1: string | null = null;

  const walk = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') {
        out.push(node.data);
        continue;
      }
      if (node.type === 'script') {
        const type = (node.attribs.type ?? '').toLowerCase();
        const body = childText(node);
        if (type === 'application/ld+json') jsonLd.push(body);
        else if (!node.attribs.src && (type === '' || type.includes('javascript') || type === 'module')) inlineScripts.push(body);
        continue;
      }
      if (node.type !== 'tag' && node.type !== 'root') continue;
      if (node.type === 'tag') {
        const name = node.name;
        if (SKIP.has(name)) continue;
        const attribs = node.attribs;
        if (attribs['data-cfemail']) cfEmails.push(attribs['data-cfemail']);
        if (attribs.itemscope !== undefined && attribs.itemprop === undefined) itemScopes.push(node);
        if (attribs.class && /(?:^|\s)(?:vcard|h-card)(?:\s|$)/.test(attribs.class)) hCards.push(node);
        if (name === 'a' && attribs.href) {
          const href = attribs.href;
          const cf = /\/cdn-cgi\/l\/email-protection#([0-9a-f]+)/i.exec(href);
          if (cf) cfEmails.push(cf[1]);
          links.push({ href, el: node });
        }
        if (name === 'head') {
          for (const c of node.children) {
            if (c.type === 'tag' && c.name === 'title') title = childTextDeep(c);
            else if (c.type === 'tag' && c.name === 'meta') {
              const key = (c.attribs.name ?? c.attribs.property ?? '').toLowerCase();
              if (key === 'description') metaDescription = c.attribs.content?.trim() ?? '';
              else if (key === 'og:site_name') siteName = c.attribs.content?.trim() || null;
            } else if (c.type === 'script') walk([c]);
          }
          continue;
        }
        if (name === 'html' && node.attribs.lang) lang = node.attribs.lang.trim() || null;
        if (name === 'h1' && h1 === null) h1 = collapse(textOf(node));
        // CSS-reversed text (an obfuscation: "moc.emca@ofni" shown as "info@acme.com").
        const style = attribs.style;
        if (style && style.includes('rtl') && /bidi-override/i.test(style) && /direction\s*:\s*rtl/i.test(style)) {
          out.push(' ', [...textOf(node)].reverse().join(''), ' ');
          continue;
        }
        const block = BLOCK.has(name);
        if (block) out.push('\n');
        walk(node.children);
        if (block) out.push('\n');
        continue;
      }
      walk(node.children);
    }
  };
  walk($.root().get(0)?.children ?? []);

  return {
    text: out.join(''),
    links,
    inlineScripts,
    jsonLd,
    cfEmails,
    itemScopes,
    hCards,
    lang,
    title: collapse(title),
    metaDescription,
    siteName,
    h1: h1 ?? '',
  };
}

function childTextDeep(el: Element): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text') s += c.data;
  return s;
}

function childText(el: Element): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text') s += c.data;
  return s;
}

/** Text of a subtree without scripts and styles. */
export function textOf(node: AnyNode): string {
  if (node.type === 'text') return node.data;
  if (node.type !== 'tag' && node.type !== 'root') return '';
  if (node.type === 'tag' && SKIP.has(node.name)) return '';
  let s = '';
  const block = node.type === 'tag' && BLOCK.has(node.name);
  for (const c of node.children) s += textOf(c);
  return block ? ` ${s} ` : s;
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Resolves href against the page URL; null for unparseable or non-http(s) links. */
export function absoluteUrl(href: string, base: string): string | null {
  try {
    const u = new URL(href.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Collapsed text of a subtree, or null as soon as it exceeds max characters (cheap on big subtrees). */
export function shortText(node: AnyNode, max: number): string | null {
  let s = '';
  const visit = (n: AnyNode): boolean => {
    if (n.type === 'text') {
      s += n.data;
      return s.length <= max * 3;
    }
    if (n.type !== 'tag') return true;
    if (SKIP.has(n.name)) return true;
    const block = BLOCK.has(n.name);
    if (block) s += ' ';
    for (const c of n.children) if (!visit(c)) return false;
    if (block) s += ' ';
    return true;
  };
  if (!visit(node)) return null;
  const out = collapse(s);
  return out.length <= max ? out : null;
}
