import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_NODE_FLAGS, ROOT } from '../support/processes';

describe('the API server’s Node options', () => {
  it('are the same for `npm start`, the Docker image and the processes tests and benchmarks start', () => {
    const { scripts } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toBe(`node ${API_NODE_FLAGS.join(' ')} scripts/start.mjs`);

    const dockerfile = readFileSync(resolve(ROOT, 'docker/Dockerfile'), 'utf8');
    const apiCommand = /^CMD (\[.*"dist\/apps\/api\/src\/main\.js"\])$/m.exec(dockerfile);
    expect(apiCommand, 'the Dockerfile runs the API').not.toBeNull();
    expect(JSON.parse(apiCommand![1]!)).toEqual(['node', ...API_NODE_FLAGS, 'dist/apps/api/src/main.js']);
  });
});
