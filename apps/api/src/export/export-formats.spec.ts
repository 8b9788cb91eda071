import { once } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inChunks } from './export-formats';

/** Each chunk as pushed ('data' events; an async iterator would hand over whatever is buffered, joined). */
async function chunksOf(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(stream, 'end');
  return chunks;
}

describe('inChunks', () => {
  it('passes every byte through in order, in chunks of at least the size except the last', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => Buffer.from(`row ${i},"a ""quoted"" cell"\n`));
    const chunks = await chunksOf(inChunks(Readable.from(rows), 4096));
    expect(Buffer.concat(chunks).equals(Buffer.concat(rows))).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.slice(0, -1).every((chunk) => chunk.length >= 4096)).toBe(true);
    expect(chunks.at(-1)!.length).toBeGreaterThan(0);
  });

  it('ends empty for an empty source and destroys the source when the consumer goes away', async () => {
    expect(await chunksOf(inChunks(Readable.from([])))).toEqual([]);

    const source = new Readable({ read() { this.push(Buffer.alloc(1024)); } });
    const chunked = inChunks(source, 2048);
    for await (const _chunk of chunked) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });
});
