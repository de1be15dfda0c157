// The portal is served by `amis serve` under /portal/: relative asset paths keep it
// working behind a proxy that adds a prefix. Everything is bundled (no CDN).
// Two pages: the map portal (index.html) and the Usage page (usage.html).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist', assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 1200,
    rollupOptions: { input: { main: 'index.html', workplan: 'workplan.html', usage: 'usage.html', country: 'country.html' } },
  },
  server: { proxy: { '^/(collections|wms|wfs|wmts|login|logout|session|changesets|admin|tileMatrixSets|conformance|api|workplans|usage|countries)': 'http://localhost:8080' } },
  test: { environment: 'jsdom', include: ['test/**/*.test.ts'] },
});
