// The OPTIONS table is the one source of every setting: these tests keep docs/configuration.md complete and check how
// resolveConfig combines flags, the environment and defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isPyreplError } from '../protocol/errors.js';
import { OPTIONS, resolveConfig } from './config.js';

const DOC = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');

test('docs/configuration.md has a row for every option, with its environment variable', () => {
  for (const [key, spec] of Object.entries(OPTIONS)) {
    const row = DOC.split('\n').find((line) => line.startsWith(`| \`--${spec.flag}\` |`));
    assert.ok(row, `docs/configuration.md has no row starting "| \`--${spec.flag}\` |" (option ${key})`);
    assert.ok(row.includes(`\`${spec.env}\``), `the --${spec.flag} row names ${spec.env}`);
  }
});

test('defaults apply when neither a flag nor the environment sets an option', () => {
  const config = resolveConfig({}, {});
  for (const key of ['host', 'port', 'minIdle', 'maxSessions', 'idleTimeout', 'maxQueued', 'logLevel'] as const) {
    assert.deepEqual(config[key], OPTIONS[key].default, key);
  }
  assert.equal(config.tokenGenerated, true);
  assert.match(config.token, /^[0-9a-f]{64}$/, 'a fresh random token when none is given');
});

test('a flag beats the environment, which beats the default', () => {
  const env = { PYREPL_PORT: '9001', PYREPL_MAX_SESSIONS: '4', PYREPL_TOKEN: 'from-the-env' };
  const config = resolveConfig({ port: '9002' }, env);
  assert.equal(config.port, 9002, 'flag over env');
  assert.equal(config.maxSessions, 4, 'env over default');
  assert.equal(config.token, 'from-the-env');
  assert.equal(config.tokenGenerated, false);
  assert.equal(config.idleTimeout, OPTIONS.idleTimeout.default, 'default when neither is set');
  assert.equal(resolveConfig({}, { PYREPL_PORT: '' }).port, OPTIONS.port.default, 'an empty variable counts as unset');
});

test('values are converted by kind: booleans, lists (repeated flags or comma-separated variables), numbers', () => {
  const fromEnv = resolveConfig({}, { PYREPL_ALLOW_ORIGINS: 'http://a.test:1, http://b.test:2', PYREPL_ALLOW_REMOTE: 'yes', PYREPL_IDLE_TIMEOUT: '2.5' });
  assert.deepEqual(fromEnv.allowOrigins, ['http://a.test:1', 'http://b.test:2']);
  assert.equal(fromEnv.allowRemote, true);
  assert.equal(fromEnv.idleTimeout, 2.5);
  const fromFlags = resolveConfig({ 'allow-origin': ['http://c.test:3', 'http://d.test:4'], 'allow-remote': false }, { PYREPL_ALLOW_REMOTE: '1' });
  assert.deepEqual(fromFlags.allowOrigins, ['http://c.test:3', 'http://d.test:4']);
  assert.equal(fromFlags.allowRemote, false, 'an explicit flag wins even when it says false');
});

test('a bad value is refused with invalid_argument naming the flag or variable it came from', () => {
  const refuses = (fn: () => unknown, name: RegExp) =>
    assert.throws(fn, (err: unknown) => isPyreplError(err, 'invalid_argument') && name.test(err.message));
  refuses(() => resolveConfig({ port: 'eighty' }, {}), /--port/);
  refuses(() => resolveConfig({ 'max-sessions': '-1' }, {}), /--max-sessions/);
  refuses(() => resolveConfig({}, { PYREPL_IDLE_TIMEOUT: 'soon' }), /PYREPL_IDLE_TIMEOUT/);
  refuses(() => resolveConfig({}, { PYREPL_ALLOW_REMOTE: 'maybe' }), /PYREPL_ALLOW_REMOTE/);
  refuses(() => resolveConfig({ port: '70000' }, {}), /--port/);
  refuses(() => resolveConfig({ 'min-idle': '5', 'max-sessions': '2' }, {}), /--min-idle/);
  refuses(() => resolveConfig({ token: 'short' }, {}), /token/);
});

test('a non-loopback --host needs --allow-remote', () => {
  for (const host of ['0.0.0.0', '192.0.2.10', 'example.test']) {
    assert.throws(
      () => resolveConfig({ host }, {}),
      (err: unknown) => isPyreplError(err, 'invalid_argument') && /--allow-remote/.test(err.message),
      host,
    );
  }
  assert.equal(resolveConfig({ host: '0.0.0.0', 'allow-remote': true }, {}).host, '0.0.0.0');
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(resolveConfig({ host }, {}).host, host);
});
