import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Where `npm run dev` finds the API and the realtime gateway: `npm start`'s default port. */
const devServerTarget = 'http://localhost:8080';

// Kept out of tsconfig.json on purpose: Vite's own types bring in Node's globals, which the
// browser code must not see. Vite transpiles this file itself.
export default defineConfig({
  base: '/',
  server: {
    // The console talks to its own origin; in development Vite passes those calls on to Flightdeck.
    proxy: {
      '/v1': devServerTarget,
      '/socket.io': { target: devServerTarget, ws: true },
    },
  },
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
