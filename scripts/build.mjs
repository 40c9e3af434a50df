// Builds the gateway (tsc into dist/) and the console (esbuild into dist/console/).
//   node scripts/build.mjs             both, always (npm run build)
//   node scripts/build.mjs --if-stale  only a part whose sources changed since its last build (npm run cli)
// A part's stamp file gets the time its build started, so a source saved during a build is built next time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');

const parts = [
  {
    name: 'gateway',
    inputs: ['src', 'migrations', 'bench', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    output: 'dist/src/main.js',
    build: () => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']),
  },
  {
    name: 'console',
    inputs: ['console', 'package-lock.json'],
    output: 'dist/console/index.html',
    build: () => {
      run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'console/tsconfig.json']);
      run(process.execPath, [join(root, 'console/build.mjs')]);
    },
  },
];

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

/** The newest modification time under the given files and folders (0 when none exists). */
function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}

const stampOf = (part) => join(root, 'dist', `.${part.name}.built`);

function isUpToDate(part) {
  const stamp = statSync(stampOf(part), { throwIfNoEntry: false });
  return stamp !== undefined && existsSync(join(root, part.output)) && newestMtime(part.inputs) <= stamp.mtimeMs;
}

try {
  for (const part of parts) {
    if (ifStale && isUpToDate(part)) continue;
    const started = new Date();
    part.build();
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(stampOf(part), '');
    utimesSync(stampOf(part), started, started);
  }
} catch {
  // The compiler has printed why; its exit status is enough.
  process.exit(1);
}
