import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Kept out of tsconfig.json on purpose: Vite's own types bring in Node's globals, which the
// browser code must not see. Vite transpiles this file itself.
export default defineConfig({
  base: '/',
  resolve: {
    alias: {
      // Same mapping as "paths" in tsconfig.json: the contract's source, no build step needed.
      '@flightdeck/contract': fileURLToPath(new URL('../contract/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
    rollupOptions: {
      onwarn(warning, warn) {
        // zod places /* @__PURE__ */ comments where Rollup cannot use them; Rollup drops them
        // and tree-shakes as usual, so the warning is noise that would hide real ones.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
});
