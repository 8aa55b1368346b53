import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The embeddable `<fd-job-status>`: one self-contained classic script (IIFE, no chunks, no CSS file)
 * that any page can load with `<script src=".../embed/fd-job-status.js" defer>`, built after the
 * console into dist/embed/ (see client/src/embed/fd-job-status.ts and docs/embedding.md).
 */
export default defineConfig({
  resolve: {
    alias: {
      '@flightdeck/contract': fileURLToPath(new URL('../contract/src/index.ts', import.meta.url)),
    },
  },
  // Library builds leave process.env alone; a page has no `process`.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist/embed',
    emptyOutDir: true,
    // Pages with older browsers embed it too.
    target: 'es2020',
    lib: {
      entry: fileURLToPath(new URL('src/embed/fd-job-status.ts', import.meta.url)),
      name: 'FlightdeckJobStatus',
      formats: ['iife'],
      fileName: () => 'fd-job-status.js',
    },
    rollupOptions: {
      onwarn(warning, warn) {
        // As in vite.config.ts: zod's misplaced /* @__PURE__ */ comments are noise.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
});
