/** The product token robots.txt groups are matched against (`User-agent: LeadforgeBot`). */
export const BOT_TOKEN = 'LeadforgeBot';
export const BOT_VERSION = '1.0';

/**
 * A descriptive crawler User-Agent: `LeadforgeBot/1.0 (+https://leadforge.example/bot)`. The URL
 * tells site owners who is crawling and how to opt out.
 */
export function buildUserAgent(publicUrl?: string | null): string {
  const base = publicUrl?.trim().replace(/\/+$/, '');
  return base ? `${BOT_TOKEN}/${BOT_VERSION} (+${base}/bot)` : `${BOT_TOKEN}/${BOT_VERSION}`;
}

/** The token of a configured User-Agent, for robots.txt matching (`Foo/2.0 (...)` -> `Foo`). */
export function robotsToken(userAgent: string): string {
  return /^[A-Za-z0-9_-]+/.exec(userAgent.trim())?.[0] ?? BOT_TOKEN;
}
