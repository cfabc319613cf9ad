/**
 * The real probe for python-choice.ts: runs the interpreter once to read its version and sys.executable, and checks
 * the minimum version the worker needs.
 */
import { execFile } from 'node:child_process';
import { MIN_PYTHON_VERSION } from '../../server/session/constants.js';
import type { ProbeResult } from './python-choice.js';

/** A cold interpreter on a slow disk (first launch after install, antivirus scan) can take seconds. */
export const PROBE_TIMEOUT_MS = 15_000;

const SCRIPT = 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)';

export function probePython(path: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(path, ['-c', SCRIPT], { timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve({ ok: false, reason: code === 'ENOENT' ? 'not found' : `it could not be run (${err.message.split('\n')[0]})` });
        return;
      }
      const [versionLine = '', executable = ''] = stdout.trim().split(/\r?\n/);
      const [major = 0, minor = 0] = versionLine.split('.').map(Number);
      const [minMajor, minMinor] = MIN_PYTHON_VERSION;
      if (major < minMajor || (major === minMajor && minor < minMinor)) {
        resolve({ ok: false, reason: `it is Python ${versionLine}; PyREPL3 needs ${minMajor}.${minMinor} or newer` });
        return;
      }
      resolve({ ok: true, version: versionLine, ...(executable ? { executable: executable.trim() } : {}) });
    });
  });
}
