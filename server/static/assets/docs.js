// The human API docs page (/docs): renders /openapi.json and /ws-schema.json, which the server generates from the same
// route specs and zod schemas it validates with, so this page cannot drift from the running API. No inline code: the
// server's CSP allows only same-origin scripts and styles.
'use strict';

const TAG_ORDER = ['sessions', 'execution', 'introspection', 'system'];
const TAG_TITLES = { sessions: 'Sessions', execution: 'Execution and jobs', introspection: 'Introspection', system: 'System' };

/** The WebSocket schema carries no prose, so one line per message type lives here (docs/api.md has the full story). */
const WS_NOTES = {
  in: {
    execute: 'Queue code in the session. Answered by execute_accepted; the execution then streams its events.',
    input_response: 'Answer the pending input_request with its token. Nothing is sent back on success; the input_response event follows.',
    interrupt: 'KeyboardInterrupt in the running code. No reply; the execution ends with an error event.',
    complete: 'Completions at cursor (default: end of code). Answered by complete_reply.',
    is_complete: 'Is the code a complete statement? Answered by is_complete_reply.',
    close_session: 'Close the session for every client: session_closed, then close code 4000.',
    ping: 'Answered by pong (application-level; the server also sends protocol pings).',
    auth: 'First message of a socket opened without a token (browsers). Nothing else is accepted until it.',
  },
  out: {
    execute_input: 'An execution started: its code and where it came from (ws, rest, job).',
    output: 'stdout / stderr text. execution_id is null for output between executions (background threads).',
    input_request: 'The code called input() / getpass(); answer with input_response and this token.',
    input_response: 'An input request was answered (data is null for passwords). Lets observers follow along.',
    result: 'The value of the last expression (repr, and value when it is JSON).',
    error: 'The execution raised. limit is set when a timeout, output or memory limit stopped it.',
    execute_reply: 'The execution finished: ok, error or aborted.',
    status: 'The session state changed: idle, busy, waiting_input, dead, ...',
    session_closed: 'The session was closed (by a client, exit(), idle timeout, shutdown); the socket closes next.',
    session_created: 'First message on /ws without session_id: the new session.',
    session_attached: 'First message when attaching; the replay (events after last_seq) follows, then live events.',
    replay_gap: 'Some events asked for are no longer buffered: this many were lost. Sent before the replay.',
    output_dropped: 'An observer fell behind: this much output was skipped for it. Owners are never skipped.',
    pong: 'Answer to ping.',
    complete_reply: 'Answer to complete: matches replace code[cursor_start:cursor_end].',
    is_complete_reply: 'Answer to is_complete: complete / incomplete (with indent) / invalid.',
    execute_accepted: 'Answer to execute: the execution_id its events carry and its place in the queue. The first events of the execution (execute_input, status) can arrive before it.',
    request_error: 'A refused client message (error.code as in REST). The socket and the session stay as they were.',
  },
};

/** Errors any authenticated request can get, from the security and parsing layers rather than a route. */
const COMMON_ERRORS = [
  [401, 'unauthorized', 'No valid token: Authorization: Bearer <token>, or the cookie from POST /auth.'],
  [403, 'forbidden_host', 'The Host header is not loopback with the server’s port.'],
  [403, 'forbidden_origin', 'A browser Origin that is neither the server’s own nor allowed.'],
  [400, 'invalid_json', 'The body is not valid JSON.'],
  [415, 'unsupported_media_type', 'A body that is not application/json.'],
  [413, 'payload_too_large', 'The body is over the limit (1 MiB by default).'],
  [404, 'not_found', 'No such endpoint.'],
];

// ------------------------------------------------------------------------------------------------ tiny DOM helper

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'class') el.className = value;
    else el.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** Text with `code spans`, as the server's descriptions use them. */
function prose(text) {
  return String(text || '').split(/(`[^`]+`)/).map((part) => (part.startsWith('`') ? h('code', null, part.slice(1, -1)) : part));
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// ------------------------------------------------------------------------------------------------ JSON Schema → rows

function typeOf(s) {
  if (!s || Object.keys(s).length === 0) return 'any';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alts = s.anyOf || s.oneOf;
  if (alts) return alts.map(typeOf).join(' | ');
  const types = Array.isArray(s.type) ? s.type : [s.type || 'any'];
  return types.map((t) => (t === 'array' ? `${typeOf(s.items)}[]` : t)).join(' | ');
}

function constraints(s) {
  const out = [];
  if (s.minLength !== undefined) out.push(`min length ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`max length ${s.maxLength}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  // zod states the safe-integer range on every integer: not worth a note.
  if (s.minimum !== undefined && s.minimum > -Number.MAX_SAFE_INTEGER) out.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  return out.join(', ');
}

/** Flattens an object schema into rows: nested objects as a.b, arrays of objects as a[].b. */
function fields(schema, prefix = '', rows = []) {
  if (!schema) return rows;
  if (schema.type === 'array' && schema.items && schema.items.properties) return fields(schema.items, `${prefix}[].`, rows);
  const required = new Set(schema.required || []);
  for (const [name, prop] of Object.entries(schema.properties || {})) {
    if (!prefix && name === 'type' && prop.const !== undefined) continue; // the message's own type: in the heading
    rows.push({ name: prefix + name, type: typeOf(prop), required: required.has(name), notes: [prop.description, constraints(prop)].filter(Boolean).join('; ') });
    if (prop.properties) fields(prop, `${prefix}${name}.`, rows);
    else if (prop.items && prop.items.properties) fields(prop.items, `${prefix}${name}[].`, rows);
  }
  return rows;
}

function fieldTable(schema, emptyText) {
  const rows = fields(schema);
  if (rows.length === 0) return h('p', { class: 'muted' }, emptyText || 'No fields.');
  return h('table', { class: 'fields' },
    h('thead', null, h('tr', null, h('th', null, 'field'), h('th', null, 'type'), h('th', null, ''), h('th', null, 'notes'))),
    h('tbody', null, rows.map((r) => h('tr', null,
      h('td', null, h('code', null, r.name)),
      h('td', null, h('code', { class: 'type' }, r.type)),
      h('td', null, r.required ? h('span', { class: 'req' }, 'required') : h('span', { class: 'opt' }, 'optional')),
      h('td', null, r.notes)))));
}

// ------------------------------------------------------------------------------------------------ REST

function endpoint(path, method, op) {
  const id = slug(`${method}-${path}`);
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  const body = op.requestBody && op.requestBody.content['application/json'];
  const params = (op.parameters || []).filter((p) => p.in === 'path');
  const ok = [];
  const errors = [];
  for (const [status, res] of Object.entries(op.responses || {})) {
    if (Number(status) < 400) ok.push([status, res]);
    else for (const m of res.description.matchAll(/`([a-z_]+)`: ([^\n]*)/g)) errors.push([status, m[1], m[2]]);
  }
  return h('section', { class: 'endpoint', id },
    h('h3', null, h('span', { class: `method ${method}` }, method.toUpperCase()), h('code', { class: 'path' }, path),
      isPublic ? h('span', { class: 'tag public' }, 'no token') : null),
    h('p', { class: 'summary' }, prose(op.summary)),
    op.description ? h('p', null, prose(op.description)) : null,
    params.length ? h('p', { class: 'params' }, 'Path: ', params.map((p) => h('code', null, `{${p.name}}`)), ' (a session or job id)') : null,
    body ? [h('h4', null, 'Request body ', h('span', { class: 'muted' }, 'application/json')), fieldTable(body.schema)] : null,
    ok.map(([status, res]) => {
      const [type, media] = Object.entries(res.content || {})[0] || [];
      return [
        h('h4', null, h('span', { class: 'status ok' }, status), ' ', prose(res.description), type ? h('span', { class: 'muted' }, ` ${type}`) : null),
        media && media.schema && type === 'application/json' ? fieldTable(media.schema, 'Free-form JSON.') : null,
      ];
    }),
    errors.length
      ? [h('h4', null, 'Errors'), h('table', { class: 'errors' }, h('tbody', null, errors.map(([status, code, text]) =>
          h('tr', null, h('td', null, h('span', { class: 'status err' }, status)), h('td', null, h('code', null, code)), h('td', null, text)))))]
      : null);
}

function restSection(openapi, toc) {
  const byTag = new Map();
  for (const [path, ops] of Object.entries(openapi.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  }
  const tags = [...byTag.keys()].sort((a, b) => (TAG_ORDER.indexOf(a) + 1 || 99) - (TAG_ORDER.indexOf(b) + 1 || 99));
  const out = [];
  for (const tag of tags) {
    const items = byTag.get(tag);
    toc.append(h('h3', null, TAG_TITLES[tag] || tag));
    toc.append(h('ul', null, items.map(([path, method]) =>
      h('li', null, h('a', { href: `#${slug(`${method}-${path}`)}` }, h('span', { class: `method small ${method}` }, method.toUpperCase()), ` ${path}`)))));
    out.push(h('h2', { id: `tag-${tag}` }, TAG_TITLES[tag] || tag), items.map(([path, method, op]) => endpoint(path, method, op)));
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ WebSocket

function wsMessage(schema, direction) {
  const type = schema.properties.type.const;
  const isEvent = Boolean(schema.properties.seq);
  const id = `ws-${direction}-${type}`;
  return h('section', { class: 'message', id },
    h('h3', null, h('span', { class: `dir ${direction}` }, direction === 'in' ? 'client → server' : 'server → client'), h('code', { class: 'path' }, type),
      isEvent ? h('span', { class: 'tag event', title: 'Numbered per session and replayed on reconnect' }, 'session event · seq') : null),
    h('p', null, prose(WS_NOTES[direction][type] || '')),
    fieldTable(schema, 'No fields besides type.'));
}

function wsSection(wsSchema, toc) {
  const toServer = wsSchema.client_to_server.oneOf || wsSchema.client_to_server.anyOf || [];
  const toClient = (wsSchema.server_to_client.anyOf || wsSchema.server_to_client.oneOf || []).flatMap((s) => s.oneOf || s.anyOf || [s]);
  const link = (dir) => (s) => h('li', null, h('a', { href: `#ws-${dir}-${s.properties.type.const}` }, s.properties.type.const));
  toc.append(h('h3', null, 'WebSocket'), h('p', { class: 'toc-sub' }, 'client → server'), h('ul', null, toServer.map(link('in'))),
    h('p', { class: 'toc-sub' }, 'server → client'), h('ul', null, toClient.map(link('out'))));
  return [
    h('h2', { id: 'websocket' }, 'WebSocket /ws'),
    h('p', null, 'One JSON text frame per message. Open ', h('code', null, '/ws'), ' for a new session, ',
      h('code', null, '/ws?session_id=ID'), ' to attach as owner, ', h('code', null, '&role=observer'), ' to watch read-only, and ',
      h('code', null, '&last_seq=N'), ' to replay only what followed event N. Authenticate with ', h('code', null, 'Authorization: Bearer'),
      ' on the upgrade, the cookie from POST /auth, or an ', h('code', null, 'auth'), ' first message. Replies carry the ',
      h('code', null, 'request_id'), ' of the message they answer. Close codes: 4000 session closed, 4004 no such session, 4029 pool exhausted, 4008 too slow, 1008 policy (auth), 1009 message too big.'),
    h('p', null, h('code', null, '&output=binary'), ': ', wsSchema.binary_output_frame || ''),
    h('h2', { id: 'ws-client' }, 'Client → server'), toServer.map((s) => wsMessage(s, 'in')),
    h('h2', { id: 'ws-server' }, 'Server → client'), toClient.map((s) => wsMessage(s, 'out')),
  ];
}

// ------------------------------------------------------------------------------------------------ page

function overview(openapi) {
  return [
    h('h2', { id: 'overview' }, 'Overview'),
    h('p', null, prose(openapi.info.description)),
    h('p', null, 'An error carries the HTTP status of its code, and extra fields beside ', h('code', null, 'code'), ' and ',
      h('code', null, 'message'), ' when there is more to say (e.g. ', h('code', null, 'retry_after_s'),
      '). Besides the errors listed per endpoint, any request can get these:'),
    h('table', { class: 'errors' }, h('tbody', null, COMMON_ERRORS.map(([status, code, text]) =>
      h('tr', null, h('td', null, h('span', { class: 'status err' }, String(status))), h('td', null, h('code', null, code)), h('td', null, text))))),
  ];
}

async function main() {
  const content = document.getElementById('content');
  const toc = document.getElementById('toc');
  try {
    const [openapi, wsSchema] = await Promise.all(['/openapi.json', '/ws-schema.json'].map(async (url) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return res.json();
    }));
    document.getElementById('version').textContent = `v${openapi.info.version}`;
    toc.append(h('a', { href: '#overview', class: 'toc-top' }, 'Overview'));
    content.replaceChildren(...[overview(openapi), restSection(openapi, toc), wsSection(wsSchema, toc)].flat(3));
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  } catch (err) {
    content.replaceChildren(h('p', { class: 'error' }, `Could not load the API description: ${err.message}`));
  }
}

main();
