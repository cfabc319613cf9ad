// PyREPL3 from a page: REST with fetch (Bearer token), then the session's WebSocket. Browsers cannot put headers
// on a WebSocket, so the socket opens without a token and the first message authenticates it.
'use strict';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.get('url')) $('url').value = params.get('url');

let socket = null;

function show(text, cls) {
  const span = document.createElement('span');
  if (cls) span.className = cls;
  span.textContent = text;
  $('out').append(span);
}

async function api(method, path, body) {
  const response = await fetch($('url').value.replace(/\/+$/, '') + path, {
    method,
    headers: { Authorization: `Bearer ${$('token').value}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await response.json();
  // Every refusal is {"error": {"code", "message"}}: branch on the code (docs/errors.md).
  if (!response.ok) throw new Error(`${json.error.code}: ${json.error.message}`);
  return json;
}

async function connect() {
  const session = await api('POST', '/sessions');
  show(`session ${session.session_id} (python ${session.python_version})\n`, 'note');
  const wsUrl = $('url').value.replace(/^http/, 'ws').replace(/\/+$/, '') + `/ws?session_id=${session.session_id}`;
  socket = new WebSocket(wsUrl);
  socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token: $('token').value }));
  socket.onmessage = (event) => onMessage(JSON.parse(event.data));
  socket.onclose = (event) => {
    show(`\n[socket closed: ${event.code} ${event.reason}]\n`, 'note');
    $('run').disabled = true;
  };
}

function onMessage(msg) {
  switch (msg.type) {
    case 'session_attached':
      $('run').disabled = false;
      break;
    case 'output':
      show(msg.data, msg.stream);
      break;
    case 'input_request': {
      // Answer with the request's own token; null (Cancel) would still need an answer, so send ''.
      const answer = window.prompt(msg.prompt || 'input') ?? '';
      socket.send(JSON.stringify({ type: 'input_response', token: msg.token, data: answer }));
      break;
    }
    case 'result':
      show(`${msg.repr}\n`);
      break;
    case 'error':
      show(msg.traceback || `${msg.exception}: ${msg.message}\n`, 'stderr');
      break;
    case 'request_error':
      show(`request_error ${msg.error.code}: ${msg.error.message}\n`, 'stderr');
      break;
    default:
      break; // status, execute_input, execute_reply, ...: see docs/api.md
  }
}

$('connect').onclick = () => connect().catch((err) => show(`${err.message}\n`, 'stderr'));
$('run').onclick = () => socket.send(JSON.stringify({ type: 'execute', code: $('code').value }));
