// Builds the audit console into dist/console: index.html plus content-hashed assets, so the gateway can
// serve them with long cache lifetimes and no CDN is needed at run time.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(root, 'dist', 'console');

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'assets'), { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'console/src/main.tsx', out: 'app' },
    { in: 'console/src/styles.css', out: 'styles' },
  ],
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

const asset = (entry) => {
  const [file] = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === entry) ?? [];
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  return `/console/assets/${basename(file)}`;
};

const template = await readFile(join(here, 'index.html'), 'utf8');
const html = template.replace('%APP_JS%', asset('console/src/main.tsx')).replace('%APP_CSS%', asset('console/src/styles.css'));
await writeFile(join(out, 'index.html'), html);
