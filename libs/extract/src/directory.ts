import { load, type Cheerio, type CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { absoluteUrl, collapse } from './dom';
import { countryFromUrl } from './country';
import { parsePhone } from './phones';

export interface DirectorySelectors {
  /** Selector of one listing (row/card). */
  item: string;
  /** Field name -> selector relative to the item; `selector@attr` reads an attribute, `@attr` one of the item itself. */
  fields: Record<string, string>;
  /** Selector of the next-page link (its href is used); optional. */
  next?: string | null;
}

export type DirectoryRecord = Record<string, string | null>;

export interface DirectoryResult {
  records: DirectoryRecord[];
  next: string | null;
}

const URL_ATTRS = new Set(['href', 'src', 'data-href', 'data-url', 'action']);

export function parseFieldSelector(spec: string): { selector: string; attr: string | null } {
  const m = /^(.*?)@([A-Za-z_:][\w:.-]*)$/.exec(spec.trim());
  if (m && !/[[(]/.test(m[2])) return { selector: m[1].trim(), attr: m[2] };
  return { selector: spec.trim(), attr: null };
}

function readField($: CheerioAPI, item: Cheerio<Element>, spec: string, pageUrl: string): string | null {
  const { selector, attr } = parseFieldSelector(spec);
  const target: Cheerio<AnyNode> = selector ? item.find(selector).first() : item;
  if (!target.length) return null;
  if (attr) {
    const v = target.attr(attr);
    if (v === undefined) return null;
    if (URL_ATTRS.has(attr)) {
      if (/^(tel|mailto):/i.test(v)) return v.replace(/^(tel|mailto):/i, '').split('?')[0];
      return absoluteUrl(v, pageUrl) ?? collapse(v);
    }
    return collapse(v) || null;
  }
  return collapse(target.text()) || null;
}

/**
 * Directory mode: one record per item with the configured fields, and the absolute URL of the next
 * page. A `phone` field also yields `phoneE164` when it parses as a valid number.
 */
export function extractDirectory(url: string, html: string | CheerioAPI, selectors: DirectorySelectors): DirectoryResult {
  const $ = typeof html === 'string' ? load(html) : html;
  const country = countryFromUrl(url) ?? 'US';
  const records: DirectoryRecord[] = [];
  $(selectors.item).each((_, el) => {
    const item = $(el as Element);
    const record: DirectoryRecord = {};
    for (const [field, spec] of Object.entries(selectors.fields)) record[field] = readField($, item, spec, url);
    if (Object.values(record).every((v) => v === null)) return;
    if (record.phone) record.phoneE164 = parsePhone(record.phone, country)?.e164 ?? null;
    records.push(record);
  });
  let next: string | null = null;
  if (selectors.next) {
    const { selector, attr } = parseFieldSelector(selectors.next);
    const el = $(selector).first();
    const href = el.attr(attr ?? 'href');
    if (href) {
      const abs = absoluteUrl(href, url);
      if (abs && abs !== url) next = abs;
    }
  }
  return { records, next };
}
