/**
 * /openapi.json from the same route specs and zod schemas the server validates with, and /ws-schema.json (JSON Schema of
 * every WebSocket message, both directions) from the protocol's schemas.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorResponse, OutputEncoding, WsClientMessage, WsServerMessage } from '../../protocol/api-messages.js';
import { BINARY_OUTPUT_LENGTH_BYTES } from '../../protocol/binary-output.js';
import { ERROR_CODES } from '../../protocol/errors.js';
import { openApiPath, type RouteSpec } from './route.js';

export function buildOpenApi(routes: RouteSpec[], version: string): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of routes) {
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {};
    for (const [status, res] of Object.entries(route.responses)) {
      responses[status] = {
        description: res.description,
        ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: res.schema } } } : {}),
      };
    }
    for (const code of route.errors ?? []) {
      const status = ERROR_CODES[code as keyof typeof ERROR_CODES]?.status ?? 500;
      const existing = responses[String(status)];
      const line = `\`${code}\`: ${ERROR_CODES[code as keyof typeof ERROR_CODES]?.summary ?? ''}`;
      responses[String(status)] = existing
        ? { ...existing, description: `${existing.description}\n\n${line}` }
        : { description: line, content: { 'application/json': { schema: ErrorResponse } } };
    }
    registry.registerPath({
      method: route.method,
      path: openApiPath(route.path),
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.public ? { security: [] } : {}),
      request: {
        ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'PyREPL3 local API',
      version,
      description:
        'Run Python in persistent sessions over REST and WebSocket (/ws). Every request but the public ones needs ' +
        '`Authorization: Bearer <token>` (`npx pyrepl info` prints it). Errors are `{"error": {"code", "message"}}`. ' +
        'Bodies and messages are strict: a field a request does not take is refused (`invalid_argument`), not ignored. ' +
        'The WebSocket messages are in /ws-schema.json; with /ws?output=binary, output events come as binary frames ' +
        '(described there too).',
    },
    security: [{ bearer: [] }],
  });
}

export function buildWsSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'PyREPL3 WebSocket messages (/ws, JSON text frames)',
    connection: {
      path: '/ws',
      query: {
        session_id: 'attach to this session (none: a new session is created)',
        role: 'owner (default) or observer (read-only)',
        last_seq: 'replay only the events after this seq',
        output: `${OutputEncoding.options.join(' or ')}: how output events come (default json)`,
      },
    },
    binary_output_frame:
      `With output=binary, output events come as binary frames: a ${BINARY_OUTPUT_LENGTH_BYTES}-byte big-endian length N, ` +
      'then N bytes of the event as JSON without data (type, execution_id, stream, seq, session_id), then data in UTF-8. ' +
      'A frame never ends inside a character. Every other message is a JSON text frame as below.',
    client_to_server: z.toJSONSchema(WsClientMessage, { unrepresentable: 'any' }),
    server_to_client: z.toJSONSchema(WsServerMessage, { unrepresentable: 'any' }),
  };
}
