import { type Client, createClient, createConfig } from './generated/client/index.js';
import { LeadforgeProblemError } from './problem.js';

export type TokenSource = string | (() => string | Promise<string>);

export interface LeadforgeClientOptions {
  /** Origin of the API, e.g. `https://leadforge.example.com` (operation paths start with /api/v1). */
  baseUrl: string;
  /** An `lf_...` API key (sent as X-API-Key). */
  apiKey?: string;
  /** An access token (sent as Bearer), or a function returning a fresh one before each request. */
  accessToken?: TokenSource;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
  /** Extra headers on every request (e.g. your own X-Request-ID). */
  headers?: Record<string, string>;
}

/**
 * A client for the generated operations: pass it as `client` to any of them, e.g.
 * `tasksGet({ client, path: { id } })`. Authentication is by API key or access token; an error
 * response surfaces as a LeadforgeProblemError — returned as `error`, or thrown when the call
 * passes `throwOnError: true`.
 */
export function createLeadforgeClient(options: LeadforgeClientOptions): Client {
  if (Boolean(options.apiKey) === Boolean(options.accessToken)) throw new TypeError('createLeadforgeClient needs exactly one of apiKey or accessToken');
  const client = createClient(
    createConfig({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      auth: async (scheme) => {
        if (scheme.type === 'apiKey') return options.apiKey;
        if (scheme.type === 'http' && scheme.scheme === 'bearer' && options.accessToken) {
          return typeof options.accessToken === 'function' ? options.accessToken() : options.accessToken;
        }
        return undefined;
      },
    }),
  );
  client.interceptors.error.use((error, response) => (response ? LeadforgeProblemError.fromResponse(error, response) : error));
  return client;
}
