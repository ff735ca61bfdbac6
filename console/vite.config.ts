import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react-swc';

/**
 * The console's build. `npm start` builds it into console/dist when missing or older than its
 * sources and serves it at `/`; `npm run console:dev` serves it with hot reload on :5173 and
 * proxies the API (and the local-only endpoints) to the stack on :3000, so it is same-origin too.
 */
const api = process.env.CONSOLE_API ?? `http://localhost:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    proxy: { '/v1': api, '/_local': api, '/docs': api },
  },
});
