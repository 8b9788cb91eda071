// Generates the typed client of the committed libs/sdk/openapi.json (run through `npm run openapi`).
import { defineConfig } from '@hey-api/openapi-ts';

export default defineConfig({
  input: 'libs/sdk/openapi.json',
  output: { path: 'libs/sdk/src/generated', clean: true },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', { name: '@hey-api/sdk' }],
});
