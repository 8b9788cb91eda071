import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureModule } from '../support/fixture.module';
import { startTestApp, type TestApp } from '../support/test-app';

let testApp: TestApp;
const url = (path: string): string => `${testApp.baseUrl}${path}`;

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  expect(body.status).toBe(response.status);
  expect(typeof body.code).toBe('string');
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

const validEcho = { name: 'Ada', count: 3, address: { city: 'London' } };

beforeAll(async () => {
  testApp = await startTestApp({}, [FixtureModule]);
});

afterAll(async () => {
  await testApp?.close();
});

describe('errors are RFC 9457 problem details', () => {
  it('answers an unknown route with 404 and the request id of the X-Request-ID header', async () => {
    const response = await fetch(url('/api/v1/no-such-route'));
    expect(response.status).toBe(404);
    const problem = await problemOf(response);
    expect(problem.code).toBe('route_not_found');
    expect(problem.instance).toBe('/api/v1/no-such-route');
  });

  it('keeps a sane incoming X-Request-ID and replaces an insane one', async () => {
    const kept = await fetch(url('/api/v1/no-such-route'), { headers: { 'X-Request-ID': 'client-trace-12345' } });
    expect(kept.headers.get('x-request-id')).toBe('client-trace-12345');
    expect((await problemOf(kept)).requestId).toBe('client-trace-12345');

    const replaced = await fetch(url('/api/v1/health/live'), { headers: { 'X-Request-ID': 'bad id with spaces and <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await fetch(url('/api/v1/test-fixture/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "Ada", "count": ',
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe('invalid_json');
  });

  it('rejects unknown fields with 400 and lists them in errors[]', async () => {
    const response = await fetch(url('/api/v1/test-fixture/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...validEcho, isAdmin: true, address: { city: 'Paris', zip: '75001' } }),
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe('validation_failed');
    const fields = (problem.errors as Array<{ field: string; message: string }>).map((error) => error.field).sort();
    expect(fields).toEqual(['address.zip', 'isAdmin']);
  });

  it('reports every invalid field with a message', async () => {
    const response = await fetch(url('/api/v1/test-fixture/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(51), count: 11, address: { city: 5 } }),
    });
    expect(response.status).toBe(400);
    const errors = (await problemOf(response)).errors as Array<{ field: string; message: string }>;
    expect(new Set(errors.map((error) => error.field))).toEqual(new Set(['name', 'count', 'address.city']));
    for (const error of errors) expect(error.message.length).toBeGreaterThan(0);
  });

  it('accepts a valid body', async () => {
    const response = await fetch(url('/api/v1/test-fixture/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validEcho),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual(validEcho);
  });

  it('answers a body over 1 MB with 413', async () => {
    const response = await fetch(url('/api/v1/test-fixture/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...validEcho, name: 'x'.repeat(1_100_000) }),
    });
    expect(response.status).toBe(413);
    expect((await problemOf(response)).code).toBe('payload_too_large');
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await fetch(url('/api/v1/test-fixture/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<name>Ada</name>',
    });
    expect(response.status).toBe(415);
    await problemOf(response);
  });

  it('hides the internals of an unexpected error behind a 500', async () => {
    const response = await fetch(url('/api/v1/test-fixture/boom'));
    expect(response.status).toBe(500);
    const text = JSON.stringify(await problemOf(response.clone()));
    expect(text).toContain('internal_error');
    expect(text).not.toMatch(/postgres:\/\/|secret|stack|at .*\.ts/);
  });

  it('hides SQL and table names of a database error', async () => {
    const response = await fetch(url('/api/v1/test-fixture/bad-sql'));
    expect(response.status).toBe(500);
    const text = JSON.stringify(await problemOf(response.clone()));
    expect(text).not.toMatch(/SELECT|table_that_does_not_exist|secret_column|relation/i);
  });
});

describe('health', () => {
  it('is live', async () => {
    const response = await fetch(url('/api/v1/health/live'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when accepting traffic and the database, migrations and queue are up', async () => {
    const response = await fetch(url('/api/v1/health/ready'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { accepting: 'up', database: 'up', migrations: 'up', queue: 'up' } });
  });
});

describe('security headers and docs', () => {
  it('sends helmet headers and no CORS grant to unknown origins', async () => {
    const response = await fetch(url('/api/v1/health/live'), { headers: { Origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves Swagger UI and an OpenAPI 3.1 document where every operation has an id, tags and error responses', async () => {
    const ui = await fetch(url('/api/docs'));
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const spec = (await (await fetch(url('/api/docs/openapi.json'))).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string; tags?: string[]; responses: Record<string, unknown> }>>;
    };
    expect(spec.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(operation.operationId, `${method} ${path}`).toBeTruthy();
        expect(operation.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(operation.responses['500'], `${method} ${path}`).toBeDefined();
      }
    }
  });
});

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After once the budget is spent', async () => {
    let limited: Response | undefined;
    for (let attempt = 0; attempt < 130 && !limited; attempt += 1) {
      const response = await fetch(url('/api/v1/health/live'));
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    expect(limited, 'no 429 within 130 requests to a 120/min endpoint').toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await problemOf(limited!)).code).toBe('rate_limited');
  });
});
