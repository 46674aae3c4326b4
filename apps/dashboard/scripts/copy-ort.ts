/**
 * Copies onnxruntime-web's WASM runtime (the `ort-wasm-simd-threaded` .wasm and .mjs files) into public/ort/,
 * where the Playground loads it from the dashboard's own origin: no CDN, no network. Runs before `next build`.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
const out = join(import.meta.dirname, '..', 'public', 'ort');
mkdirSync(out, { recursive: true });
const files = readdirSync(dist).filter((f) =>
  /^ort-wasm-simd-threaded\.(jsep\.)?(wasm|mjs)$/.test(f),
);
for (const file of files) copyFileSync(join(dist, file), join(out, file));
console.log(`copied ${files.length} onnxruntime-web files to public/ort/`);
