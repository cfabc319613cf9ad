/**
 * The JSON text of the events every execution logs (execute_input, status, result, execute_reply), written from a
 * template per type instead of by JSON.stringify, with the session's and the execution's ids quoted once (QuotedIds)
 * rather than in every event. JSON.stringify checks every character of every key and value of every event, and that
 * was the largest single cost left in a short execution's trip through the server. The text is the same as
 * JSON.stringify's, keys in the same order (the order the server builds these events in); every other event takes
 * JSON.stringify. event-json.test.ts holds the two to agreement, also on the events a real session logs.
 */
import type { SessionEventApi } from '../../protocol/api-messages.js';

/** JSON string literals of the ids a session's events repeat: the session's, and the latest execution's. */
export class QuotedIds {
  readonly session: string;
  private lastExecution: string | null = null;
  private lastExecutionJson = 'null';

  constructor(sessionId: string) {
    this.session = JSON.stringify(sessionId);
  }

  execution(id: string | null): string {
    if (id === null) return 'null';
    if (id !== this.lastExecution) {
      this.lastExecution = id;
      this.lastExecutionJson = JSON.stringify(id);
    }
    return this.lastExecutionJson;
  }
}

/** A number as JSON writes it (JSON has no NaN or Infinity: they become null). */
function num(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

/** JSON.stringify(event), numbered (seq and session_id are its last keys); `ids` quote what repeats. */
export function eventJson(event: SessionEventApi, ids: QuotedIds): string {
  // Enumerated values (state, source, status) are plain words: they need no quoting beyond the quotes.
  const end = (): string => `,"seq":${event.seq},"session_id":${ids.session}}`;
  switch (event.type) {
    case 'status':
      return `{"type":"status","state":"${event.state}","execution_id":${ids.execution(event.execution_id)}${end()}`;
    case 'execute_input':
      return `{"type":"execute_input","execution_id":${ids.execution(event.execution_id)},"code":${JSON.stringify(event.code)},"source":"${event.source}"${end()}`;
    case 'result':
      return (
        `{"type":"result","execution_id":${ids.execution(event.execution_id)},"repr":${JSON.stringify(event.repr)}` +
        (event.value !== undefined ? `,"value":${JSON.stringify(event.value)}` : '') +
        (event.execution_count !== undefined ? `,"execution_count":${num(event.execution_count)}` : '') +
        (event.execution_time !== undefined ? `,"execution_time":${num(event.execution_time)}` : '') +
        end()
      );
    case 'execute_reply':
      return (
        `{"type":"execute_reply","execution_id":${ids.execution(event.execution_id)},"status":"${event.status}",` +
        `"execution_count":${num(event.execution_count)},"execution_time":${num(event.execution_time)}` +
        (event.exit_code !== undefined ? `,"exit_code":${JSON.stringify(event.exit_code)}` : '') +
        end()
      );
    default:
      return JSON.stringify(event);
  }
}
