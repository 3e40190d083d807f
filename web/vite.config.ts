// Builds the dashboard's React parts (the profile editor) into dist/web: `npm run build:web`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // library mode leaves process.env alone: React's production build is picked by this
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    minify: true,
    lib: {
      entry: fileURLToPath(new URL('./profile-editor/main.tsx', import.meta.url)),
      formats: ['es'],
      fileName: () => 'profile-editor.js',
      cssFileName: 'profile-editor',
    },
  },
});
