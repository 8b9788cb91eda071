import { describe, expect, it } from 'vitest';
import { jwtExpiry, originAllowed } from './socket-handshake';

describe('originAllowed', () => {
  const allowlist = ['https://console.example.com'];

  it('accepts no Origin (not a browser), the allowlist and the same origin', () => {
    expect(originAllowed(undefined, 'api.example.com', allowlist)).toBe(true);
    expect(originAllowed('https://console.example.com', 'api.example.com', allowlist)).toBe(true);
    expect(originAllowed('https://api.example.com', 'api.example.com', allowlist)).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', [])).toBe(true);
  });

  it('refuses other origins, look-alikes and garbage', () => {
    expect(originAllowed('https://evil.example', 'api.example.com', allowlist)).toBe(false);
    expect(originAllowed('https://console.example.com.evil.example', 'api.example.com', allowlist)).toBe(false);
    expect(originAllowed('http://127.0.0.1:3001', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('null', 'api.example.com', allowlist)).toBe(false);
    expect(originAllowed('https://api.example.com', undefined, [])).toBe(false);
  });
});

describe('jwtExpiry', () => {
  const token = (claims: unknown) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.y`;

  it('reads exp in milliseconds', () => {
    expect(jwtExpiry(token({ exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
  });

  it('is null without a readable exp', () => {
    expect(jwtExpiry(token({ sub: 'a' }))).toBeNull();
    expect(jwtExpiry('garbage')).toBeNull();
    expect(jwtExpiry('a.%%%.b')).toBeNull();
  });
});
