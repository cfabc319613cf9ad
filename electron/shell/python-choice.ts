/**
 * Which Python the desktop app's workers run, in the order the app promises: the interpreter bundled with the app
 * when it ships one, else PYREPL_PYTHON, else the one set in Preferences, else python3 on PATH. The first of these
 * that is present decides; a broken one is reported with the fix, never silently replaced by the next (the same rule
 * as the server's own lookup, so what runs is always what the user can see chosen).
 *
 * Pure: existence and probing are injected, so build/'s pack:check and the unit tests run it without a Python.
 */

export type PythonSource = 'bundled' | 'PYREPL_PYTHON' | 'preferences' | 'PATH';

export interface ProbeOk {
  ok: true;
  /** "3.12.1" */
  version: string;
  /** The resolved executable (sys.executable), when the probe knows it. */
  executable?: string;
}
export interface ProbeFailed {
  ok: false;
  /** Why it could not be used: not found, not runnable, too old. */
  reason: string;
}
export type ProbeResult = ProbeOk | ProbeFailed;

export interface PythonChoiceInput {
  /** The bundled interpreter's path (bundledPythonExecutable) when the app might ship one. */
  bundled?: string | undefined;
  /** Whether a path exists; only used for `bundled`. Without it a given `bundled` counts as present. */
  exists?: (path: string) => boolean;
  env: Record<string, string | undefined>;
  preferences: { pythonPath?: string | null | undefined };
  /** Runs the interpreter (version check). May be async. */
  probe: (path: string) => ProbeResult | Promise<ProbeResult>;
  platform?: NodeJS.Platform;
}

export interface PythonCandidate {
  source: PythonSource;
  path: string;
}

export type PythonChoice =
  | { ok: true; source: PythonSource; path: string; version: string; candidates: PythonCandidate[] }
  | { ok: false; source: PythonSource; path: string; message: string; candidates: PythonCandidate[] };

/** The PATH fallback is a command name, resolved by the OS like a shell would (Windows installs python.exe). */
export function pathCommand(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'python' : 'python3';
}

/** Every candidate that is present, in priority order; the first one is the one used. */
export function pythonCandidates(input: Omit<PythonChoiceInput, 'probe'>): PythonCandidate[] {
  const out: PythonCandidate[] = [];
  const bundledPresent = input.bundled && (input.exists ? input.exists(input.bundled) : true);
  if (bundledPresent && input.bundled) out.push({ source: 'bundled', path: input.bundled });
  const fromEnv = input.env.PYREPL_PYTHON?.trim();
  if (fromEnv) out.push({ source: 'PYREPL_PYTHON', path: fromEnv });
  const fromPrefs = input.preferences.pythonPath?.trim();
  if (fromPrefs) out.push({ source: 'preferences', path: fromPrefs });
  out.push({ source: 'PATH', path: pathCommand(input.platform ?? process.platform) });
  return out;
}

const SOURCE_LABEL: Record<PythonSource, string> = {
  bundled: 'the Python bundled with the app',
  PYREPL_PYTHON: 'the PYREPL_PYTHON environment variable',
  preferences: 'Preferences → Python interpreter',
  PATH: 'python3 on PATH',
};

/** What to tell the user when the chosen interpreter cannot be used: what was tried, why, and the ways to fix it. */
export function noPythonMessage(candidate: PythonCandidate, reason: string): string {
  return [
    `PyREPL3 could not start Python: ${candidate.path} (from ${SOURCE_LABEL[candidate.source]}) cannot be used: ${reason}`,
    '',
    'To fix it, do one of:',
    '  • set PYREPL_PYTHON to a Python 3.9+ executable and restart the app;',
    '  • set Preferences → Python interpreter to the full path of a Python 3.9+ executable;',
    '  • install Python 3.9 or newer so that python3 is on PATH (python on Windows).',
  ].join('\n');
}

export async function choosePython(input: PythonChoiceInput): Promise<PythonChoice> {
  const candidates = pythonCandidates(input);
  // Never empty: the PATH command is always a candidate.
  const chosen = candidates[0] as PythonCandidate;
  let result: ProbeResult;
  try {
    result = await input.probe(chosen.path);
  } catch (err) {
    result = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  if (!result.ok) return { ok: false, ...chosen, message: noPythonMessage(chosen, result.reason), candidates };
  return { ok: true, source: chosen.source, path: result.executable ?? chosen.path, version: result.version, candidates };
}
