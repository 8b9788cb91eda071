import { describe, expect, it } from 'vitest';
import { parsePhone, phonesFromText } from './phones';

const e164 = (text: string, country: Parameters<typeof phonesFromText>[1]): string[] => phonesFromText(text, country).map((p) => p.e164);

describe('phones', () => {
  it('finds national and international numbers in text', () => {
    expect(e164('Tel.: 0711 / 123 456-0\nFax: 0711 / 123 456-99', 'DE')).toEqual(['+497111234560', '+4971112345699']);
    expect(e164('Call (503) 555-0134 today', 'US')).toEqual(['+15035550134']);
    expect(e164('Reception +44 (0)20 7946 0322', 'US')).toEqual(['+442079460322']);
  });
  it('marks fax numbers', () => {
    expect(phonesFromText('Fax: 020 7946 0329', 'GB')[0].type).toBe('fax');
  });
  it('rejects dates, ids, IBAN, VAT, prices and ISBNs', () => {
    const text = [
      'Invoice 2023-10-12', 'Posted 12.03.2024', 'IBAN DE89 3704 0044 0532 0130 00', 'USt-IdNr.: DE 812345678',
      'Registered in England No. 08123456', 'Price 1.299.000 €', 'ISBN 978-3-16-148410-0', 'Order 100234567',
      'ABN 12 345 678 901', 'Mo-Fr 08:00-18:00', 'Project 2019 - 2023',
    ].join('\n');
    expect(e164(text, 'DE')).toEqual([]);
    expect(e164(text, 'AU')).toEqual([]);
  });
  it('parses tel: links to E.164 and rejects invalid numbers', () => {
    expect(parsePhone('tel:+1-503-555-0134', 'US', 'tel')?.e164).toBe('+15035550134');
    expect(parsePhone('tel:12345', 'US', 'tel')).toBeNull();
  });
});
