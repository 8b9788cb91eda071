import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApiDocument, serializeOpenApi } from '../common/openapi/generate-openapi';

export const OPENAPI_PATH = resolve(__dirname, '../../../../../libs/sdk/openapi.json');

async function main(): Promise<void> {
  const document = await generateOpenApiDocument();
  writeFileSync(OPENAPI_PATH, serializeOpenApi(document));
  process.stdout.write(`wrote ${OPENAPI_PATH} (${Object.keys(document.paths).length} paths)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
