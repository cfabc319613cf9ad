/**
 * Choosing the Python that runs the workers: an explicit path (preferences / config), PYREPL_PYTHON, the interpreter
 * bundled with the desktop app, then python3 (python on Windows) on PATH. The first candidate that exists decides:
 * a broken or too old explicit choice is an error, not a silent fallback to something else.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { PyreplError } from '../../protocol/errors.js';
import { MIN_PYTHON_VERSION } from './constants.js';

export interface PythonCandidateSources {
  /** An interpreter chosen by the user (preferences, --python). */
  explicit?: string | undefined;
  /** Environment to read PYREPL_PYTHON and PATH from. */
  env?: NodeJS.ProcessEnv;
  /** The interpreter shipped with the desktop app, when there is one. */
  bundled?: string | undefined;
  platform?: NodeJS.Platform;
}

export interface PythonCandidate {
  path: string;
  source: 'explicit' | 'PYREPL_PYTHON' | 'bundled' | 'PATH';
}

export interface PythonInfo extends PythonCandidate {
  version: [number, number, number];
  /**
   * Set when the candidate was a launcher that runs another executable (a pyenv or asdf shim, a script that execs
   * python): the candidate's path, while `path` is the interpreter itself (its sys.executable). Workers are spawned
   * from `path`, so every new session skips the launcher: a pyenv shim is a shell script that costs ~80 ms of CPU.
   */
  via?: string;
}

/** The lookup order, without touching any interpreter; pure so it can be unit-tested. */
export function pythonCandidates(sources: PythonCandidateSources): PythonCandidate[] {
  const env = sources.env ?? process.env;
  const out: PythonCandidate[] = [];
  if (sources.explicit) out.push({ path: sources.explicit, source: 'explicit' });
  if (env.PYREPL_PYTHON) out.push({ path: env.PYREPL_PYTHON, source: 'PYREPL_PYTHON' });
  if (sources.bundled) out.push({ path: sources.bundled, source: 'bundled' });
  const onPath = findOnPath(sources.platform === 'win32' ? ['python.exe', 'python3.exe'] : ['python3'], env.PATH ?? '');
  if (onPath) out.push({ path: onPath, source: 'PATH' });
  return out;
}

function findOnPath(names: string[], pathVar: string): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

const cache = new Map<string, Promise<PythonInfo>>();

/** Resolves the interpreter to use, checking its version once per path (cached for the life of the process). */
export async function findPython(sources: PythonCandidateSources = {}): Promise<PythonInfo> {
  const candidates = pythonCandidates(sources);
  const first = candidates[0];
  if (!first) {
    throw new PyreplError(
      'python_not_found',
      'No Python interpreter found: set PYREPL_PYTHON to a python3 (3.9 or newer) executable, or put python3 on PATH.',
    );
  }
  let probe = cache.get(first.path);
  if (!probe) {
    probe = probeVersion(first);
    cache.set(first.path, probe);
    probe.catch(() => cache.delete(first.path));
  }
  return probe;
}

function probeVersion(candidate: PythonCandidate): Promise<PythonInfo> {
  return new Promise((resolve, reject) => {
    execFile(
      candidate.path,
      ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable or "")'],
      { timeout: 10_000, windowsHide: true },
      (err, stdout) => {
        if (err) {
          reject(
            new PyreplError(
              'python_not_found',
              `Python interpreter ${candidate.path} (from ${candidate.source}) could not be run: ${err.message}`,
              { python: candidate.path, source: candidate.source },
            ),
          );
          return;
        }
        const [versionLine = '', executable = ''] = stdout.trim().split('\n').map((line) => line.trim());
        const parts = versionLine.split('.').map(Number);
        const version: [number, number, number] = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
        const [minMajor, minMinor] = MIN_PYTHON_VERSION;
        if (version[0] < minMajor || (version[0] === minMajor && version[1] < minMinor)) {
          reject(
            new PyreplError(
              'python_too_old',
              `Python ${version.join('.')} at ${candidate.path} (from ${candidate.source}) is too old: PyREPL3 needs ${minMajor}.${minMinor} or newer.`,
              { python: candidate.path, source: candidate.source, version: version.join('.') },
            ),
          );
          return;
        }
        const itself = isAbsolute(executable) && executable !== candidate.path && existsSync(executable);
        resolve(itself ? { ...candidate, path: executable, version, via: candidate.path } : { ...candidate, version });
      },
    );
  });
}
