// The desktop app, launched for real through playwright-core's _electron (the built main entry, package.json main):
// the prompt appears, 1+1 gives 2, File → Observe This Session opens a second window that sees the transcript, and
// quitting leaves no Python worker behind. Where no Electron binary is installed (it is downloaded separately from
// the npm package, which this machine cannot do) or there is no display, the test is skipped and says exactly why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { installedElectronBinary, missingElectronReason } from '../build/electron-source.js';
import { bufferText, type, waitForMode, waitForScreen } from './harness.js';

const ROOT = new URL('..', import.meta.url).pathname;
const MAIN = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main?: string }).main ?? 'dist/electron/main.js';

/** A fresh app's first window: the server starts, a worker warms up, the page connects. */
const LAUNCH_TIMEOUT_MS = 60_000;
/** After quit: the pool's close → SIGTERM → SIGKILL sequence takes a few seconds at most. */
const WORKER_EXIT_TIMEOUT_MS = 15_000;

function skipReason(): string | null {
  const binary = installedElectronBinary(ROOT);
  if (!binary) return `${missingElectronReason(ROOT)}; a machine without access to GitHub cannot download it`;
  if (!existsSync(join(ROOT, MAIN))) return `the main entry ${MAIN} is not built (npm run build)`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY and WAYLAND_DISPLAY are unset): run the e2e tests under xvfb-run';
  }
  return null;
}

const reason = skipReason();
if (reason) console.log(`electron-smoke skipped: ${reason}`); // in the e2e output, not only on the TAP skip lines

/** Python workers among the processes: pid → parent pid (ps lists both on Linux and macOS). */
function workerProcesses(): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m && m[3]?.includes('pyrepl_worker')) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let app: ElectronApplication;
let owner: Page;
let userData: string;

before(async () => {
  if (reason) return;
  userData = mkdtempSync(join(tmpdir(), 'pyrepl-electron-'));
  const args = [join(ROOT, MAIN), `--user-data-dir=${userData}`];
  if (process.getuid?.() === 0) args.push('--no-sandbox'); // Chromium refuses to start as root with its sandbox
  app = await _electron.launch({
    executablePath: installedElectronBinary(ROOT) as string,
    args,
    cwd: ROOT,
    env: { ...process.env, XDG_CONFIG_HOME: userData, PYREPL_LOG_LEVEL: 'warn' } as Record<string, string>,
    timeout: LAUNCH_TIMEOUT_MS,
  });
  owner = await app.firstWindow({ timeout: LAUNCH_TIMEOUT_MS });
  await owner.waitForSelector('body[data-ready="true"]', { timeout: LAUNCH_TIMEOUT_MS });
});

after(async () => {
  if (reason) return;
  await app?.close().catch(() => {});
  rmSync(userData, { recursive: true, force: true });
});

test('the app opens on a Python prompt and runs 1+1', { skip: reason ?? false }, async () => {
  await waitForMode(owner, 'prompt', LAUNCH_TIMEOUT_MS);
  await waitForScreen(owner, /^>>>\s*$/m);
  await owner.click('.xterm-screen');
  await type(owner, '1+1\n');
  await waitForScreen(owner, /^2$/m);
});

test('File → Observe This Session opens a read-only window with the transcript so far', { skip: reason ?? false }, async () => {
  const opened = app.waitForEvent('window', { timeout: LAUNCH_TIMEOUT_MS });
  // "This session" is the focused window's; a display without a window manager may never focus it by itself.
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.focus());
  const clicked = await app.evaluate(({ Menu }) => {
    const item = Menu.getApplicationMenu()?.getMenuItemById('observe-this');
    if (!item || !item.enabled) return false;
    item.click();
    return true;
  });
  assert.equal(clicked, true, 'the menu has an enabled "Observe This Session in a New Window" item');
  const observer = await opened;
  await observer.waitForSelector('body[data-ready="true"]', { timeout: LAUNCH_TIMEOUT_MS });
  await waitForMode(observer, 'observer');
  await waitForScreen(observer, /^2$/m);
  assert.match(await bufferText(observer), /^>>> 1\+1$/m);
});

test('quitting leaves no Python worker process', { skip: reason ?? false }, async () => {
  const mainPid = app.process().pid as number;
  const workers = [...workerProcesses()].filter(([, ppid]) => ppid === mainPid).map(([pid]) => pid);
  assert.ok(workers.length > 0, 'the app runs its Python workers as child processes');
  await app.close();
  const deadline = Date.now() + WORKER_EXIT_TIMEOUT_MS;
  while (workers.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(workers.filter(alive), [], 'worker processes still running after quit');
});
