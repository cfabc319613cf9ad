import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, PyreplError, isPyreplError, type ErrorCode } from './errors.js';

test('every error code is documented in docs/errors.md with its status', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  for (const [code, { status }] of Object.entries(ERROR_CODES)) {
    const row = new RegExp(`^\\| \`${code}\` \\| ${status} \\|`, 'm');
    assert.match(doc, row, `docs/errors.md documents ${code} (${status})`);
  }
});

test('a PyreplError carries code, status and a body in the one error format', () => {
  const err = new PyreplError('pool_exhausted', 'busy', { retry_after_s: 1 });
  assert.equal(err.status, 503);
  assert.equal(err.expose, true);
  assert.deepEqual(err.toBody(), { error: { code: 'pool_exhausted', message: 'busy', retry_after_s: 1 } });
  assert.ok(isPyreplError(err, 'pool_exhausted'));
  assert.ok(!isPyreplError(err, 'queue_full'));
  assert.equal(new PyreplError('internal_error' as ErrorCode, 'x').expose, false);
});

test('details cannot override code or message', () => {
  const err = new PyreplError('queue_full', 'real', { code: 'fake', message: 'fake' });
  assert.deepEqual(err.toBody().error, { code: 'queue_full', message: 'real' });
});
