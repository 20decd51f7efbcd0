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
