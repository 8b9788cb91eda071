import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from './logger.options';

describe('log redaction', () => {
  it('never writes credentials, cookies, tokens or passwords', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'lf_refresh=r1', 'x-api-key': 'lf_live_123', 'x-csrf-token': 'csrf' } },
      res: { headers: { 'set-cookie': 'lf_refresh=r2' } },
      body: { password: 'hunter2hunter2', token: 't0k', refreshToken: 'r3', secret: 'whsec_1' },
    });
    const output = lines.join('');
    for (const secret of ['abc.def.ghi', 'lf_refresh=r1', 'lf_live_123', 'lf_refresh=r2', 'hunter2hunter2', 't0k', 'r3', 'whsec_1', '"csrf"']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('[redacted]');
  });
});
