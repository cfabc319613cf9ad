/**
 * The runtime core as it ships. `npm run bench` runs the bench as tsc builds it (dist/bench), so these are tsc's
 * dist/server modules, as the server and the app load them. Through tsx instead (sources, esbuild's transform) a
 * `1+1` cost measurably more: tsx keeps function names with a helper call on every closure it creates. The same goes
 * for the bench's own code on the timed path (probe.ts, ws-probe.ts), as the anchors run theirs as plain JavaScript.
 */
export { Session } from '../server/session/session.js';
export { SessionPool } from '../server/session/pool.js';
