/**
 * Where the project's non-code files live. The same code runs from source (tsx), from dist/ and from a packaged app,
 * so paths are found by walking up to the package root rather than by counting '../'.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'pyrepl3') return dir;
      } catch {
        /* not ours; keep walking */
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pyrepl3's package root not found above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The Python worker's sources: PYREPL_RUNTIME_DIR (a packaged app's resources), else python-runtime/ in the package. */
export function defaultRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PYREPL_RUNTIME_DIR ?? join(PACKAGE_ROOT, 'python-runtime');
}
