// The WebSocket test page (/ws-test.html): connect to /ws with first-message auth, drive a session, and log every
// message in both directions. Plain script, no build step, no inline code: the server's CSP allows only 'self'.
'use strict';

const $ = (id) => document.getElementById(id);
/** Keeps the page responsive in long sessions: the oldest log entries go first. */
const MAX_LOG_ENTRIES = 2000;

const state = { ws: null, sessionId: null, role: 'owner', lastSeq: 0, pendingInput: null, nextRequest: 1 };

// A token in the fragment (ws-test.html#token=...) fills the field; the fragment never reaches the server.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('token')) {
  $('token').value = fragment.get('token');
  history.replaceState(null, '', location.pathname + location.search);
}

// ------------------------------------------------------------------------------------------------ connection

function connect(resume) {
  disconnect();
  const params = new URLSearchParams();
  const sessionId = resume ? state.sessionId : $('session-id').value.trim();
  const role = resume ? state.role : $('role').value;
  const lastSeq = resume ? String(state.lastSeq) : $('last-seq').value.trim();
  if (sessionId) params.set('session_id', sessionId);
  if (role !== 'owner') params.set('role', role);
  if (sessionId && lastSeq !== '') params.set('last_seq', lastSeq);
  // Resuming keeps the seq we have; a fresh connect counts from what the user asked to replay.
  if (!resume) {
    state.lastSeq = lastSeq === '' ? 0 : Number(lastSeq);
    $('seen-seq').textContent = '';
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = params.toString();
  const url = `${scheme}://${location.host}/ws${query ? `?${query}` : ''}`;
  note(`connecting to ${url}`);
  const ws = new WebSocket(url);
  state.ws = ws;
  setConnection('connecting');
  // Browsers cannot set an Authorization header on a WebSocket: the first message carries the token instead. With
  // no token, the cookie from POST /auth (if this browser has it) authenticated the upgrade already.
  ws.onopen = () => {
    if ($('token').value) send({ type: 'auth', token: $('token').value }, { noRequestId: true });
  };
  ws.onmessage = (event) => {
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      note(`not JSON: ${String(event.data).slice(0, 200)}`);
      return;
    }
    logMessage('in', msg);
    handle(msg);
  };
  ws.onclose = (event) => {
    if (state.ws !== ws) return;
    state.ws = null;
    note(`socket closed: ${event.code}${event.reason ? ` (${event.reason})` : ''}`);
    setConnection('disconnected');
    showInput(null);
  };
  ws.onerror = () => note('WebSocket error (refused upgrade or network); see the close code');
}

function disconnect() {
  if (state.ws) state.ws.close(1000, 'disconnect button');
}

function send(msg, options = {}) {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN) {
    note('not connected');
    return;
  }
  const out = options.noRequestId ? msg : { ...msg, request_id: `p${state.nextRequest++}` };
  logMessage('out', out);
  state.ws.send(JSON.stringify(out));
}

// ------------------------------------------------------------------------------------------------ server messages

function handle(msg) {
  if (typeof msg.seq === 'number') {
    state.lastSeq = Math.max(state.lastSeq, msg.seq);
    $('seen-seq').textContent = `· seen up to seq ${state.lastSeq}`;
  }
  switch (msg.type) {
    case 'session_created':
    case 'session_attached':
      state.sessionId = msg.session_id;
      state.role = msg.role;
      $('session-id').value = msg.session_id;
      $('session-info').textContent =
        `${msg.type === 'session_created' ? 'new session' : 'attached'} · ${msg.role} · Python ${msg.python_version ?? '?'}` +
        (msg.type === 'session_attached' ? ` · replay from seq ${msg.replay_from} · clients ${msg.clients.owners}/${msg.clients.observers}` : '');
      setConnection('connected');
      setSessionState(msg.state);
      if (msg.pending_input) showInput(msg.pending_input);
      break;
    case 'status':
      setSessionState(msg.state);
      break;
    case 'execute_input':
      write(`>>> ${msg.code.replace(/\n/g, '\n... ')}\n`, 'echo');
      break;
    case 'output':
      write(msg.data, msg.stream);
      break;
    case 'input_request':
      write(msg.prompt, 'stdout');
      showInput(msg);
      break;
    case 'input_response':
      write(`${msg.data ?? '••••'}\n`, 'echo');
      if (state.pendingInput && state.pendingInput.token === msg.token) showInput(null);
      break;
    case 'result':
      write(`${msg.repr}\n`, 'result');
      break;
    case 'error':
      write(msg.traceback || `${msg.exception}: ${msg.message}\n`, 'stderr');
      break;
    case 'complete_reply':
      write(`completions [${msg.cursor_start}, ${msg.cursor_end}): ${msg.matches.join('  ') || '(none)'}\n`, 'note');
      break;
    case 'is_complete_reply':
      write(`is_complete: ${msg.status}${msg.indent ? ` (indent ${JSON.stringify(msg.indent)})` : ''}\n`, 'note');
      break;
    case 'request_error':
      write(`request_error ${msg.error.code}: ${msg.error.message}\n`, 'stderr');
      break;
    case 'replay_gap':
      write(`replay gap: ${msg.missed_events} events (seq ${msg.missed_from}–${msg.missed_to}) are no longer buffered\n`, 'note');
      break;
    case 'output_dropped':
      write(`[${msg.events} output events (${msg.bytes} bytes) skipped: this observer fell behind]\n`, 'note');
      break;
    case 'session_closed':
      write(`session closed: ${msg.reason}\n`, 'note');
      setSessionState('closed');
      break;
    default:
      break; // execute_accepted, execute_reply, pong: in the log only
  }
}

// ------------------------------------------------------------------------------------------------ view

function setConnection(what) {
  const badge = $('conn-state');
  badge.textContent = what;
  badge.className = `badge ${what === 'connected' ? 'on' : what === 'connecting' ? 'wait' : 'off'}`;
  const open = what === 'connected';
  const owner = open && state.role === 'owner';
  for (const id of ['run', 'interrupt', 'close-session']) $(id).disabled = !owner;
  for (const id of ['complete', 'is-complete', 'ping']) $(id).disabled = !open;
  $('disconnect').disabled = what === 'disconnected';
  $('resume').disabled = what !== 'disconnected' || !state.sessionId;
}

function setSessionState(value) {
  const badge = $('session-state');
  badge.textContent = value || '';
  badge.className = `badge state-${value}`;
}

function showInput(request) {
  state.pendingInput = request;
  $('input-form').classList.toggle('hidden', !request || state.role !== 'owner');
  if (!request) return;
  $('input-prompt').textContent = request.prompt || '(no prompt)';
  $('input-data').type = request.password ? 'password' : 'text';
  $('input-data').value = '';
  $('input-data').focus();
}

function write(text, cls) {
  const out = $('output');
  const span = document.createElement('span');
  span.className = cls;
  span.textContent = text;
  out.append(span);
  out.scrollTop = out.scrollHeight;
}

function note(text) {
  logEntry('note', '•', text, null);
}

function logMessage(direction, msg) {
  // The token is never shown: the log is for looking at, and screenshots travel.
  const shown = msg.type === 'auth' ? { ...msg, token: '•••' } : msg;
  const tags = [msg.seq !== undefined ? `seq ${msg.seq}` : '', msg.request_id ? `#${msg.request_id}` : ''].filter(Boolean).join(' ');
  logEntry(direction, direction === 'in' ? '←' : '→', `${msg.type}${tags ? `  ${tags}` : ''}`, shown);
}

function logEntry(kind, arrow, title, body) {
  const log = $('log');
  const li = document.createElement('li');
  li.className = `${kind}${body && body.type === 'output' ? ' type-output' : ''}`;
  const time = new Date().toISOString().slice(11, 23);
  const head = document.createElement(body ? 'details' : 'div');
  const summary = document.createElement(body ? 'summary' : 'span');
  summary.className = 'line';
  summary.append(span('time', time), span('arrow', arrow), span('title', title));
  if (body) summary.append(span('brief', JSON.stringify(body)));
  head.append(summary);
  if (body) {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(body, null, 2);
    head.append(pre);
  }
  li.append(head);
  const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.append(li);
  while (log.children.length > MAX_LOG_ENTRIES) log.firstElementChild.remove();
  if (stick) log.scrollTop = log.scrollHeight;
}

function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

// ------------------------------------------------------------------------------------------------ wiring

$('connect-form').onsubmit = (event) => {
  event.preventDefault();
  connect(false);
};
$('resume').onclick = () => connect(true);
$('disconnect').onclick = disconnect;
$('run').onclick = () => send({ type: 'execute', code: $('code').value });
$('interrupt').onclick = () => send({ type: 'interrupt' });
$('complete').onclick = () => send({ type: 'complete', code: $('code').value, cursor: $('code').value.length });
$('is-complete').onclick = () => send({ type: 'is_complete', code: $('code').value });
$('ping').onclick = () => send({ type: 'ping' });
$('close-session').onclick = () => send({ type: 'close_session' });
$('input-form').onsubmit = (event) => {
  event.preventDefault();
  if (state.pendingInput) send({ type: 'input_response', token: state.pendingInput.token, data: $('input-data').value });
};
$('code').onkeydown = (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !$('run').disabled) {
    event.preventDefault();
    $('run').click();
  }
};
$('hide-output').onchange = () => $('log').classList.toggle('hide-output', $('hide-output').checked);
$('clear-log').onclick = () => $('log').replaceChildren();
$('clear-output').onclick = () => $('output').replaceChildren();
setConnection('disconnected');
