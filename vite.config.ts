import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

// One config for the shop build (root: web/) and for every test project, so the
// browser bundle and the component tests compile Solid the same way.
export default defineConfig({
  root: 'web',
  publicDir: 'public',
  plugins: [solid()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Every browser the es2022 target admits loads the module graph without it; browsers that
    // lack modulepreload (Safari < 17) only lose the early fetch (docs/decisions/034).
    modulePreload: { polyfill: false },
    // The shop engine (shared by the configurator and My specs) as one chunk rather than
    // several small ones: fewer requests and better gzip on the configurator's first load.
    // The shell (Solid, the router, the app frame and its stores) as one chunk too: left alone,
    // Rolldown puts solid-js in a chunk of its own beside the entry, and every name the two
    // (and each lazy page) pass between them is one more export and import (decision 034).
    rolldownOptions: {
      output: {
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [
            {
              name: 'shell',
              test: /node_modules[\\/](solid-js[\\/](dist|web)|@solidjs[\\/]router)[\\/]|web[\\/]src[\\/](App\.tsx|api\.ts|title\.ts|components[\\/]Link\.tsx|stores[\\/](cart|session|storage)\.ts)|vite[\\/]preload-helper/,
            },
            {
              name: 'configurator',
              test: /catalog[\\/](engine[\\/](?!nearest|recommend)|errors)|web[\\/]src[\\/](engine|format|stores[\\/](catalog|configurator))\.ts|web[\\/]src[\\/](pages[\\/]ConfiguratorPage|components[\\/](ModuleControl|SizePicker|OptionButton|FindMySize|GarmentPreview|PriceBox))\.tsx/,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8787', '/healthz': 'http://127.0.0.1:8787' },
  },
  test: {
    root: '.',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root: '.',
          environment: 'node',
          include: [
            'catalog/**/*.test.ts',
            'server/**/*.test.ts',
            'tests/api/**/*.test.ts',
            'tests/webhooks/**/*.test.ts',
            'tests/*.test.ts',
          ],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'web',
          root: '.',
          environment: 'jsdom',
          include: ['web/**/*.test.{ts,tsx}'],
          setupFiles: ['web/src/test-setup.ts'],
          // test-setup.ts lets waitFor/findBy wait up to 5 s on a busy machine; with vitest's
          // default 5 s per test, a test whose wait needed most of that was cut off first.
          testTimeout: 15_000,
          server: { deps: { inline: [/solid-js/, /@solidjs/] } },
        },
        resolve: { conditions: ['development', 'browser'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: '.',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
