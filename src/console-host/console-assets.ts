import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Names esbuild gives the console's files (console/build.mjs): no separators, no leading dot. */
const ASSET_NAME = /^[\w-]+(\.[\w-]+)*\.(js|css|map)$/;

/**
 * Where the built console lives: `dist/console` under the package root. The root is found by walking up
 * from this file, so the same code works from `dist/src/console-host` (production) and `src/console-host` (tests).
 */
@Injectable()
export class ConsoleAssets {
  readonly directory = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'dist', 'console');
  readonly assetsDirectory = join(this.directory, 'assets');

  get indexFile(): string | undefined {
    const file = join(this.directory, 'index.html');
    return existsSync(file) ? file : undefined;
  }

  /** The asset's file name if it is one the build makes and it exists; never a path outside assets/. */
  asset(name: string): string | undefined {
    return ASSET_NAME.test(name) && existsSync(join(this.assetsDirectory, name)) ? name : undefined;
  }
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
