/**
 * Where a packaged app keeps what cannot live inside app.asar (agreed with build/): Python cannot import from an
 * asar archive, so the worker sources and the optional standalone interpreter are extraResources next to it.
 *
 *   <resourcesPath>/python-runtime/        the worker sources (pyrepl_worker), passed as the server's runtime dir
 *   <resourcesPath>/python/                optional python-build-standalone "install_only" tree
 *       bin/python3      (linux, darwin)
 *       python.exe       (win32)
 *
 * Pure path arithmetic: no fs, no electron, so build/'s pack:check and the unit tests can import it.
 */
import { join, posix, win32 } from 'node:path';

/** Folder names under resourcesPath; build/ copies into exactly these. */
export const RUNTIME_RESOURCE_DIR = 'python-runtime';
export const PYTHON_RESOURCE_DIR = 'python';

/** The worker sources of a packaged app (use as PYREPL_RUNTIME_DIR / startServer's runtimeDir). */
export function packagedRuntimeDir(resourcesPath: string): string {
  return join(resourcesPath, RUNTIME_RESOURCE_DIR);
}

/**
 * Where the bundled interpreter's executable would be. It may not exist (a package built without a bundled Python):
 * callers check existence before using it. Joined with the target platform's separator, so a Linux build machine can
 * compute the Windows path.
 */
export function bundledPythonExecutable(resourcesPath: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return win32.join(resourcesPath, PYTHON_RESOURCE_DIR, 'python.exe');
  return posix.join(resourcesPath, PYTHON_RESOURCE_DIR, 'bin', 'python3');
}
