import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePermission, decideWindowOpen, hardenContents, isExternalUrlAllowed, isSameOrigin, secureWebPreferences } from './security.js';
import { FakeContents } from './testing/fake-host.js';
import type { WindowTarget } from './window-target.js';

const SERVER = 'http://127.0.0.1:8123';

test('webPreferences: every security switch set explicitly', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs', 1.25);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.navigateOnDragDrop, false);
  assert.equal(prefs.preload, '/app/dist/electron/preload.cjs');
  assert.equal(prefs.zoomFactor, 1.25);
});

test('same origin means scheme, host and port as parsed, never a string prefix', () => {
  for (const ok of [`${SERVER}/`, `${SERVER}/docs`, `${SERVER}/#session=abc&role=observer`, 'http://127.0.0.1:8123', 'HTTP://127.0.0.1:8123/x']) {
    assert.equal(isSameOrigin(ok, SERVER), true, ok);
  }
  for (const bad of [
    'http://127.0.0.1:8123.evil.com/',
    'http://127.0.0.1:8123@evil.com/',
    'http://127.0.0.1:81234/',
    'http://127.0.0.1:8124/',
    'http://127.0.0.1/',
    'https://127.0.0.1:8123/',
    'ws://127.0.0.1:8123/ws',
    'http://localhost:8123/',
    'http://127.0.0.2:8123/',
    'http://[::1]:8123/',
    'file:///etc/passwd',
    'data:text/html,<h1>hi</h1>',
    'javascript:alert(1)',
    'about:blank',
    'not a url',
    '',
  ]) {
    assert.equal(isSameOrigin(bad, SERVER), false, bad);
  }
});

test('only http(s) links leave the app, to the system browser', () => {
  assert.equal(isExternalUrlAllowed('https://docs.python.org/3/'), true);
  assert.equal(isExternalUrlAllowed('http://example.com'), true);
  for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'vbscript:x', 'smb://host/share', 'ms-settings:', 'about:blank', 'https://', 'nonsense']) {
    assert.equal(isExternalUrlAllowed(bad), false, bad);
  }
});

test('window.open: the page\'s popup is always denied; a session link becomes an app window, the web the browser', () => {
  assert.deepEqual(decideWindowOpen(`${SERVER}/#session=abc123&role=observer`, SERVER), { kind: 'app-window', target: { sessionId: 'abc123', role: 'observer' } });
  assert.deepEqual(decideWindowOpen(`${SERVER}/#session=abc123`, SERVER), { kind: 'app-window', target: { sessionId: 'abc123', role: 'owner' } });
  assert.deepEqual(decideWindowOpen(`${SERVER}/#new=1`, SERVER), { kind: 'app-window', target: { sessionId: null, role: 'owner' } });
  assert.deepEqual(decideWindowOpen(`${SERVER}/docs`, SERVER), { kind: 'deny' });
  assert.deepEqual(decideWindowOpen(`${SERVER}/#session=../../x`, SERVER), { kind: 'deny' });
  // Not a valid URL at all (the "port" has letters): neither ours nor openable.
  assert.deepEqual(decideWindowOpen('http://127.0.0.1:8123.evil.com/#session=abc', SERVER), { kind: 'deny' });
  // Userinfo: the host is evil, whatever the URL starts with.
  assert.deepEqual(decideWindowOpen('http://127.0.0.1:8123@evil.example/#session=abc', SERVER), { kind: 'external', url: 'http://127.0.0.1:8123@evil.example/#session=abc' });
  assert.deepEqual(decideWindowOpen('http://127.0.0.1:8124/#session=abc', SERVER), { kind: 'external', url: 'http://127.0.0.1:8124/#session=abc' });
  assert.deepEqual(decideWindowOpen('https://pypi.org/', SERVER), { kind: 'external', url: 'https://pypi.org/' });
  assert.deepEqual(decideWindowOpen('file:///etc/passwd', SERVER), { kind: 'deny' });

  const contents = new FakeContents(1);
  const opened: WindowTarget[] = [];
  const external: string[] = [];
  hardenContents(contents, { serverOrigin: () => SERVER, openExternal: (u) => external.push(u), openAppWindow: (t) => opened.push(t) });
  for (const url of [`${SERVER}/#session=s1&role=observer`, 'https://pypi.org/', 'javascript:alert(1)', 'file:///x']) {
    assert.deepEqual(contents.tryOpen(url), { action: 'deny' }, url);
  }
  assert.deepEqual(opened, [{ sessionId: 's1', role: 'observer' }]);
  assert.deepEqual(external, ['https://pypi.org/']);
});

test('navigation stays on the server\'s origin; a link to the web goes to the browser instead', () => {
  const contents = new FakeContents(1);
  const external: string[] = [];
  let origin: string | null = null;
  hardenContents(contents, { serverOrigin: () => origin, openExternal: (u) => external.push(u), openAppWindow: () => undefined });
  assert.equal(contents.tryNavigate(`${SERVER}/`, false), true, 'before the server runs nothing is allowed');
  origin = SERVER;
  assert.equal(contents.tryNavigate(`${SERVER}/`), false);
  assert.equal(contents.tryNavigate(`${SERVER}/docs`), false);
  for (const bad of ['http://127.0.0.1:8123.evil.com/', 'http://127.0.0.1:8123@evil/', 'http://127.0.0.1:9999/', 'file:///etc/passwd', 'data:text/html,x', 'javascript:alert(1)']) {
    assert.equal(contents.tryNavigate(bad), true, bad);
  }
  assert.equal(contents.tryNavigate('https://example.com/', false), true); // a redirect or subframe: blocked, not opened
  assert.deepEqual(external, ['http://127.0.0.1:8123@evil/', 'http://127.0.0.1:9999/']);
  let prevented = false;
  for (const l of contents.webview) l(() => (prevented = true));
  assert.equal(prevented, true, '<webview> attach is refused');
});

test('permissions: every request and check denied, except sanitized clipboard writes from the server\'s page', () => {
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb', 'unknown']) {
    assert.equal(decidePermission(p, SERVER, SERVER), false, p);
  }
  assert.equal(decidePermission('clipboard-sanitized-write', `${SERVER}/`, SERVER), true);
  assert.equal(decidePermission('clipboard-sanitized-write', 'https://evil.example', SERVER), false);
  assert.equal(decidePermission('clipboard-sanitized-write', `${SERVER}/`, null), false);
});
