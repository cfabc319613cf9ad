import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: plain .mjs script without types
import { checkFile, importsOf } from './check-layers.mjs';

const root = '/repo';

test('finds static, dynamic, side-effect and require imports', () => {
  const src = `import a from 'x';\nimport { b } from "./y.js";\nexport * from './z.js';\nimport './side.js';\nconst c = await import('dyn');\nconst d = require('req');`;
  assert.deepEqual(importsOf(src), ['x', './y.js', './z.js', './side.js', 'dyn', 'req']);
});

test('electron may be imported only from electron/', () => {
  assert.equal(checkFile(root, '/repo/server/app.ts', `import { app } from 'electron';`).length, 1);
  assert.equal(checkFile(root, '/repo/renderer/main.ts', `import { ipcRenderer } from 'electron';`).length, 1);
  assert.equal(checkFile(root, '/repo/electron/main.ts', `import { app } from 'electron';`).length, 0);
});

test('build/ (packaging, plain Node) may not import electron, whose index.js downloads the binary', () => {
  assert.equal(checkFile(root, '/repo/build/dist.ts', `import 'electron';`).length, 1);
  assert.equal(checkFile(root, '/repo/build/dist.ts', `const { build } = await import('electron-builder');`).length, 0);
});

test('renderer may not import server/ or Node built-ins', () => {
  assert.equal(checkFile(root, '/repo/renderer/a.ts', `import { Session } from '../server/session/session.js';`).length, 1);
  assert.equal(checkFile(root, '/repo/renderer/a.ts', `import { readFile } from 'node:fs';`).length, 1);
  assert.equal(checkFile(root, '/repo/renderer/a.ts', `import { PyreplError } from '../protocol/errors.js';`).length, 0);
});

test('renderer may import the typed client and npm packages; its unit tests may use node:test', () => {
  assert.equal(checkFile(root, '/repo/renderer/a.ts', `import { SessionSocket } from '../client/index.js';`).length, 0);
  assert.equal(checkFile(root, '/repo/renderer/a.ts', `import { Terminal } from '@xterm/xterm';`).length, 0);
  assert.equal(checkFile(root, '/repo/renderer/a.test.ts', `import { test } from 'node:test';`).length, 0);
  assert.equal(checkFile(root, '/repo/renderer/a.ts', `import { test } from 'node:test';`).length, 1);
});

test('protocol imports nothing but protocol', () => {
  assert.equal(checkFile(root, '/repo/protocol/a.ts', `import { x } from '../server/x.js';`).length, 1);
  assert.equal(checkFile(root, '/repo/protocol/a.ts', `import { EventEmitter } from 'events';`).length, 1);
  assert.equal(checkFile(root, '/repo/protocol/a.ts', `import { z } from 'zod';`).length, 0);
});

test('server may import protocol but not renderer', () => {
  assert.equal(checkFile(root, '/repo/server/a.ts', `import { PyreplError } from '../protocol/errors.js';`).length, 0);
  assert.equal(checkFile(root, '/repo/server/a.ts', `import { Term } from '../renderer/term.js';`).length, 1);
});

test('client imports only client, protocol and zod; its tests may use server/ and ws', () => {
  assert.equal(checkFile(root, '/repo/client/a.ts', `import { x } from '../protocol/api-messages.js';`).length, 0);
  assert.equal(checkFile(root, '/repo/client/a.ts', `import { y } from './b.js';`).length, 0);
  assert.equal(checkFile(root, '/repo/client/a.ts', `import type { z } from 'zod';`).length, 0);
  assert.equal(checkFile(root, '/repo/client/a.ts', `import { startServer } from '../server/app.js';`).length, 1);
  assert.equal(checkFile(root, '/repo/client/a.ts', `import { readFile } from 'node:fs';`).length, 1);
  assert.equal(checkFile(root, '/repo/client/a.ts', `import WebSocket from 'ws';`).length, 1);
  assert.equal(checkFile(root, '/repo/client/a.ts', `import { app } from 'electron';`).length, 1);
  assert.equal(checkFile(root, '/repo/client/a.test.ts', `import { startServer } from '../server/app.js';\nimport WebSocket from 'ws';`).length, 0);
});

test('protocol tests may use node:test (they run in Node); protocol code may not', () => {
  assert.equal(checkFile(root, '/repo/protocol/a.test.ts', `import { test } from 'node:test';`).length, 0);
  assert.equal(checkFile(root, '/repo/protocol/a.ts', `import { test } from 'node:test';`).length, 1);
});
