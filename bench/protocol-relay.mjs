// The contract's own floor: the anchors' WS relay, but speaking PyREPL3's WebSocket protocol for an execution, the
// frames our server sends for a `1+1` (execute_accepted, execute_input, status busy, result, execute_reply,
// status idle), numbered and with the session id, batched into one socket write per execution as our server batches
// them, and nothing else: no validation, no replay log, no flow control, no queue, no metrics. It separates what the
// wire protocol costs (more frames to encode and parse than the relay's one) from what our implementation adds.
//
// A diagnostic of `npm run bench` (bench/protocol-floor.ts starts it as a child process, as the anchors start their
// relay). Usage: node bench/protocol-relay.mjs --python PATH [marker]; prints {"port": N} when listening.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';

// The floor's Python loop (floor_bench.mjs), reduced to what `1+1` needs: one JSON line in, one JSON line out.
const PY_LOOP = String.raw`
import sys, json, builtins
_i, _o = sys.stdin, sys.stdout
g = {'__name__': '__main__', '__builtins__': builtins}
n = 0
while True:
    line = _i.readline()
    if not line:
        break
    m = json.loads(line)
    n += 1
    r = {'id': m['id'], 'n': n}
    try:
        v = eval(compile(m['code'], '<cell>', 'eval'), g)
        r['repr'] = None if v is None else repr(v)
        r['value'] = v if type(v) is int else None
    except BaseException as e:
        r['error'] = repr(e)
    _o.write(json.dumps(r) + '\n'); _o.flush()
`;

/** Our server holds the frames that only announce a start this long for the rest of the execution (tunables.ts). */
const FLUSH_WINDOW_MS = 3;

const python = process.argv[process.argv.indexOf('--python') + 1];
const children = new Set();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });

wss.on('connection', (ws) => {
  const child = spawn(python, ['-u', '-c', PY_LOOP, ...process.argv.slice(4)], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  const sessionId = randomUUID();
  let seq = 0;
  let pending = [];
  let timer = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const socket = ws._socket;
    socket.cork();
    for (const frame of pending) ws.send(frame);
    pending = [];
    socket.uncork();
  };
  const event = (body) => JSON.stringify({ ...body, seq: ++seq, session_id: sessionId });
  let carry = '';
  child.stdout.on('data', (chunk) => {
    carry += chunk;
    let nl;
    while ((nl = carry.indexOf('\n')) >= 0) {
      const r = JSON.parse(carry.slice(0, nl));
      carry = carry.slice(nl + 1);
      const eid = r.id;
      if (r.error) pending.push(event({ type: 'error', execution_id: eid, exception: 'Error', message: r.error, traceback: '' }));
      else if (r.repr !== null) pending.push(event({ type: 'result', execution_id: eid, repr: r.repr, ...(r.value !== null ? { value: r.value } : {}), execution_count: r.n, execution_time: 0 }));
      pending.push(event({ type: 'execute_reply', execution_id: eid, status: r.error ? 'error' : 'ok', execution_count: r.n, execution_time: 0 }));
      pending.push(event({ type: 'status', state: 'idle', execution_id: null }));
      flush();
    }
  });
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type !== 'execute') return;
    const eid = randomUUID();
    child.stdin.write(JSON.stringify({ id: eid, code: m.code }) + '\n');
    pending.push(JSON.stringify({ type: 'execute_accepted', execution_id: eid, queue_position: 0 }));
    pending.push(event({ type: 'execute_input', execution_id: eid, code: m.code, source: 'ws' }));
    pending.push(event({ type: 'status', state: 'busy', execution_id: eid }));
    timer ??= setTimeout(flush, FLUSH_WINDOW_MS);
  });
  child.on('exit', () => {
    children.delete(child);
    ws.close();
  });
  ws.on('close', () => child.kill('SIGKILL'));
  ws.send(JSON.stringify({ type: 'session_created', session_id: sessionId, role: 'owner', state: 'idle', last_seq: 0 }));
});

const shutdown = () => {
  for (const child of children) child.kill('SIGKILL');
  wss.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown); // the bench went away
process.stdin.resume();
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ port: wss.address().port })}\n`));
