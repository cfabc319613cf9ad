// A parent that starts a session, prints its worker's pid and then waits to be killed (session-faults.test.ts).
import { Session } from '../session.js';

const session = await Session.create();
process.stdout.write(`worker-pid ${session.pid}\n`);
setInterval(() => {}, 1000);
