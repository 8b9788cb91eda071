import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../../../..');
const SDK = join(ROOT, 'libs/sdk');

async function files(directory: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found.set(relative(directory, path), await readFile(path, 'utf8'));
  }
  return found;
}

describe('committed SDK', () => {
  it('is what openapi-ts generates from the committed OpenAPI document (run `npm run openapi`)', async () => {
    const { createClient } = await import('@hey-api/openapi-ts');
    const config = (await (await import(pathToFileURL(join(SDK, 'openapi-ts.config.mjs')).href)).default) as { output: object; plugins: unknown[] };
    const output = await mkdtemp(join(tmpdir(), 'leadforge-sdk-'));
    try {
      await createClient({
        ...config,
        input: join(SDK, 'openapi.json'),
        output: { ...config.output, path: output },
        logs: { level: 'silent', file: false },
      } as Parameters<typeof createClient>[0]);
      const generated = await files(output);
      const committed = await files(join(SDK, 'src/generated'));
      expect(generated.size).toBeGreaterThan(5);
      expect([...committed.keys()].sort(), 'libs/sdk/src/generated has other files than openapi-ts writes: run `npm run openapi`').toEqual([...generated.keys()].sort());
      const stale = [...generated].filter(([path, text]) => committed.get(path) !== text).map(([path]) => path);
      expect(stale, 'libs/sdk/src/generated is stale: run `npm run openapi`').toEqual([]);
    } finally {
      await rm(output, { recursive: true, force: true });
    }
  }, 60_000);
});
