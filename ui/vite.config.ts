import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// The daemon serves the built UI at "/" on the same origin as its API.
// In development (and `vite preview`) the API is proxied to a local daemon;
// BGPSENTRY_API overrides the default address.
const target = process.env.BGPSENTRY_API ?? 'http://127.0.0.1:8179';
const proxy = {
  '/api': { target, changeOrigin: false },
  '/metrics': { target, changeOrigin: false },
  '/healthz': { target, changeOrigin: false },
  '/v1/ws': { target, ws: true, changeOrigin: false },
};

export default defineConfig({
  base: '/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy },
  preview: { proxy },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
