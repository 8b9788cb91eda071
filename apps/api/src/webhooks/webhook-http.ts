import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { assertAllowedUrl, BlockedTargetError, createGuardedLookup } from '../common/network/ssrf-guard';

export const DELIVERY_TIMEOUT_MS = 15_000;
/** Bytes of a response body read (then dropped): receivers are told to answer quickly with 2xx. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = 'Leadforge-Webhooks/1.0';

export interface PostOutcome {
  /** HTTP status, or null when no response arrived (refused target, DNS, connect, timeout). */
  status: number | null;
  headers: IncomingHttpHeaders;
  durationMs: number;
  error: string | null;
}

/**
 * POSTs one webhook: SSRF guard before the request and on the address actually connected to,
 * one overall timeout, and redirects are never followed (a 3xx is a failed attempt).
 */
export class WebhookHttpClient {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(
    private readonly allowPrivate: boolean,
    private readonly timeoutMs = DELIVERY_TIMEOUT_MS,
  ) {
    const lookup = createGuardedLookup({ allowPrivate });
    this.httpAgent = new HttpAgent({ lookup, keepAlive: false });
    this.httpsAgent = new HttpsAgent({ lookup, keepAlive: false });
  }

  async post(target: string, body: string, headers: Record<string, string>): Promise<PostOutcome> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = await assertAllowedUrl(target, { allowPrivate: this.allowPrivate });
    } catch (error) {
      return { status: null, headers: {}, durationMs: elapsed(), error: describe(error) };
    }
    return new Promise<PostOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<PostOutcome, 'durationMs'>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...outcome, durationMs: elapsed() });
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': USER_AGENT },
        },
        (response) => {
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) response.destroy();
          });
          const done = (): void => finish({ status: response.statusCode ?? null, headers: response.headers, error: null });
          response.on('end', done);
          response.on('close', done);
          response.on('error', done);
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new Error(`no response within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      request.on('error', (error) => finish({ status: null, headers: {}, error: describe(error) }));
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function describe(error: unknown): string {
  if (error instanceof BlockedTargetError) return `target not allowed (${error.reason})`;
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}
