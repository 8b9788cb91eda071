import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOpenApiDocument, serializeOpenApi } from './generate-openapi';

describe('committed OpenAPI document', () => {
  it('matches the API (run `npm run openapi` after changing endpoints or DTOs)', async () => {
    const committed = readFileSync(resolve(__dirname, '../../../../../libs/sdk/openapi.json'), 'utf8');
    const generated = serializeOpenApi(await generateOpenApiDocument());
    expect(generated === committed, 'libs/sdk/openapi.json is stale: run `npm run openapi`').toBe(true);
  }, 30_000);

  it('is deterministic', async () => {
    const first = serializeOpenApi(await generateOpenApiDocument());
    const second = serializeOpenApi(await generateOpenApiDocument());
    expect(second).toBe(first);
  }, 30_000);
});
