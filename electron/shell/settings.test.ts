import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, loadSettings, sanitizeSettings, saveSettings, settingsPath } from './settings.js';
import { CASCADE_OFFSET_PX, cascadeFrom, DEFAULT_HEIGHT, DEFAULT_WIDTH, MIN_HEIGHT, MIN_WIDTH, restoreBounds } from './window-bounds.js';

const dir = () => mkdtempSync(join(tmpdir(), 'pyrepl-settings-'));

test('settings round-trip through settings.json under userData, readable only by the user', () => {
  const file = settingsPath(dir());
  assert.deepEqual(loadSettings(file), { settings: DEFAULT_SETTINGS }, 'no file: the defaults');
  const settings = { window: { x: 10, y: 20, width: 900, height: 600, maximized: true }, preferences: { theme: 'light' as const, fontSize: 16, pythonPath: '/opt/py/bin/python3' } };
  saveSettings(file, settings);
  assert.deepEqual(loadSettings(file), { settings });
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('a corrupt file gives the defaults and is kept aside; bad fields fall back one by one', () => {
  const file = settingsPath(dir());
  writeFileSync(file, '{"window": {"x": 1,');
  const loaded = loadSettings(file);
  assert.deepEqual(loaded.settings, DEFAULT_SETTINGS);
  assert.match(loaded.problem ?? '', /not valid JSON/);
  assert.equal(readFileSync(`${file}.corrupt`, 'utf8'), '{"window": {"x": 1,');
  assert.equal(existsSync(file), false);

  assert.deepEqual(sanitizeSettings(null), DEFAULT_SETTINGS);
  assert.deepEqual(sanitizeSettings([1, 2]), DEFAULT_SETTINGS);
  assert.deepEqual(
    sanitizeSettings({ window: { x: 'left', y: 0, width: 800, height: 600 }, preferences: { theme: 'neon', fontSize: 400, pythonPath: 42 } }),
    { window: null, preferences: { theme: 'dark', fontSize: 32, pythonPath: null } },
  );
  assert.deepEqual(sanitizeSettings({ preferences: { theme: 'light', fontSize: 2, pythonPath: '  ' } }).preferences, { theme: 'light', fontSize: 8, pythonPath: null });
  assert.equal(sanitizeSettings({ window: { x: 0, y: 0, width: -5, height: 600 } }).window, null);
});

const screen = [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }];
const twoScreens = [...screen, { workArea: { x: 1920, y: 0, width: 1280, height: 1000 } }];

test('bounds: defaults, kept when visible, pulled back inside, shrunk to fit', () => {
  assert.deepEqual(restoreBounds(null, screen), { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT, maximized: false });
  assert.deepEqual(restoreBounds({ x: 100, y: 50, width: 800, height: 600, maximized: false }, screen), { x: 100, y: 50, width: 800, height: 600, maximized: false });
  assert.deepEqual(restoreBounds({ x: 2000, y: 100, width: 800, height: 600, maximized: true }, twoScreens), { x: 2000, y: 100, width: 800, height: 600, maximized: true });
  // Hanging off the right edge: moved back in.
  assert.deepEqual(restoreBounds({ x: 1700, y: 900, width: 800, height: 600, maximized: false }, screen), { x: 1120, y: 450, width: 800, height: 600, maximized: false });
  // Larger than the display: shrunk to it.
  assert.deepEqual(restoreBounds({ x: 0, y: 0, width: 4000, height: 3000, maximized: false }, screen), { x: 0, y: 0, width: 1920, height: 1050, maximized: false });
  // Never below the minimum size.
  assert.deepEqual(restoreBounds({ x: 10, y: 10, width: 50, height: 20, maximized: false }, screen), { x: 10, y: 10, width: MIN_WIDTH, height: MIN_HEIGHT, maximized: false });
});

test('bounds on a display that is gone (or off every screen) lose their position, keep a fitting size', () => {
  const onSecond = { x: 2000, y: 100, width: 1200, height: 900, maximized: false };
  assert.deepEqual(restoreBounds(onSecond, screen), { width: 1200, height: 900, maximized: false });
  assert.deepEqual(restoreBounds({ x: -5000, y: -5000, width: 800, height: 600, maximized: false }, screen), { width: 800, height: 600, maximized: false });
  // Only a sliver of the title bar visible (less than MIN_VISIBLE_PX wide): not reachable, so not kept.
  assert.deepEqual(restoreBounds({ x: 1900, y: 10, width: 800, height: 600, maximized: false }, screen), { width: 800, height: 600, maximized: false });
  // Title bar above the screen: unreachable.
  assert.deepEqual(restoreBounds({ x: 100, y: -700, width: 800, height: 600, maximized: false }, screen), { width: 800, height: 600, maximized: false });
  assert.deepEqual(restoreBounds(onSecond, []), { width: 1200, height: 900, maximized: false }, 'no display information at all');
});

test('further windows cascade, and wrap to the corner at the edge', () => {
  assert.deepEqual(cascadeFrom({ x: 100, y: 100, width: 800, height: 600 }, screen), { x: 100 + CASCADE_OFFSET_PX, y: 100 + CASCADE_OFFSET_PX, width: 800, height: 600, maximized: false });
  assert.deepEqual(cascadeFrom({ x: 1100, y: 440, width: 800, height: 600 }, screen), { x: 0, y: 0, width: 800, height: 600, maximized: false });
});
