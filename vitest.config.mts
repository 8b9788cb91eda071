import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// SWC (not Oxc) compiles the tests so that Nest's decorator metadata is emitted.
export default defineConfig({
  oxc: false,
  plugins: [swc.vite({ jsc: { target: 'es2023', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false } } })],
  resolve: {
    alias: {
      // Before the library's main entry, which would otherwise match this one's prefix.
      '@leadforge/extract/values': `${root}libs/extract/src/values.ts`,
      '@leadforge/extract': `${root}libs/extract/src/index.ts`,
      '@leadforge/contracts': `${root}libs/contracts/src/index.ts`,
    },
  },
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/unit/**/*.spec.ts'],
          exclude: ['**/*.medium.spec.ts', '**/node_modules/**', 'apps/admin/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'medium',
          include: ['apps/**/*.medium.spec.ts', 'migrations/**/*.medium.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
