import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * As root, the embedded Postgres runs as the system user `postgres` (Postgres refuses root), which must
 * pass through every folder above its binaries and its data. A project cloned into a home folder
 * (mode 0700) fails that, and the package would crash with `spawn ... EACCES` and a stack trace: this
 * check says instead, in one line, which folder blocks and what to do.
 *
 * No module imports here: test/support/global-setup.ts, which Jest loads without the project's module
 * mapping, uses it too.
 */
export function postgresUserBlocker(paths: string[]): string | undefined {
  const user = postgresUser();
  for (const path of paths) {
    for (const folder of foldersAbove(resolve(path))) {
      const stats = statSync(folder);
      if (!stats.isDirectory() || canPassThrough(stats, user)) continue;
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      return (
        `the embedded Postgres runs as the system user "postgres" (Postgres refuses to run as root), which cannot enter ${folder} ` +
        `(mode ${mode}) to reach ${path}. Do one of: run as a non-root user; let other users pass through that folder ` +
        `(they still cannot list it): chmod o+x ${folder}; or set DATABASE_URL to a Postgres of your own`
      );
    }
  }
  return undefined;
}

export async function assertPostgresUserCanReach(paths: string[]): Promise<void> {
  const blocker = postgresUserBlocker(paths);
  if (blocker) throw new Error(blocker);
}

interface SystemUser {
  uid?: number;
  gid?: number;
}

/** Not created yet on a fresh machine (the package creates it): such a user is only "others". */
function postgresUser(): SystemUser {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return {};
  }
}

/** Every folder from the root down to the path's parent (the path itself included when it is a folder). */
function foldersAbove(path: string): string[] {
  const folders: string[] = [];
  for (let folder = path; ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (dirname(folder) === folder) return folders;
  }
}

/**
 * Search (x) permission as the kernel decides it for a process with only a primary group: the package
 * spawns Postgres with the user's uid and gid, and Node drops supplementary groups.
 */
function canPassThrough(stats: { uid: number; gid: number; mode: number }, user: SystemUser): boolean {
  if (stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (stats.gid === user.gid) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}
