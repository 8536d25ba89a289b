import net from 'node:net';
import { errors } from '../shared/errors';
import { controlResponse, MAX_RESPONSE_BYTES, socketPathFits, type ControlResponse } from './control.schema';
import { readLine } from './control.wire';

/**
 * The CLI's end of the control channel (see control.server.ts).
 *
 * - No server listening (no socket file, a stale one, or one this user may not open): undefined,
 *   and the CLI opens the database itself, or is refused by DATA_DIR's lock.
 * - Connected: the command line is sent once and never again; a server that then closes without
 *   answering (it stopped, or timed out) is `control_interrupted`: the command may have run.
 */

/** Longer than the server's own 30 s deadline, so its answer (even "timed out") arrives first. */
const ANSWER_TIMEOUT_MS = 40_000;

function connect(socketPath: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    if (!socketPathFits(socketPath)) return resolve(undefined);
    const socket = net.createConnection(socketPath);
    const failed = () => {
      socket.destroy();
      resolve(undefined);
    };
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      resolve(socket);
    });
  });
}

/** Hands `argv` to the server listening on `socketPath`: its answer, or undefined when none listens. */
export async function sendToServer(
  socketPath: string,
  argv: string[],
  options: { timeoutMs?: number } = {},
): Promise<ControlResponse | undefined> {
  const socket = await connect(socketPath);
  if (!socket) return undefined;
  const timeoutMs = options.timeoutMs ?? ANSWER_TIMEOUT_MS;
  socket.on('error', () => undefined); // readLine sees the close that follows
  const timer = setTimeout(() => socket.destroy(), timeoutMs);
  try {
    socket.write(`${JSON.stringify({ argv })}\n`);
    const line = await readLine(socket, MAX_RESPONSE_BYTES).catch(() => undefined);
    let json: unknown;
    try {
      json = line === undefined ? undefined : JSON.parse(line);
    } catch {
      json = undefined;
    }
    const response = controlResponse.safeParse(json);
    if (!response.success) {
      throw errors.controlInterrupted(
        `The server listening on ${socketPath} took the command but ${line === undefined ? 'closed the connection without answering' : 'answered something that is not a command result'}.`,
      );
    }
    return response.data;
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

/**
 * Like sendToServer, asking again until `waitMs` passed while none listens (a server still
 * starting holds DATA_DIR's lock before it listens).
 */
export async function sendToServerWhenListening(
  socketPath: string,
  argv: string[],
  waitMs: number,
): Promise<ControlResponse | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const response = await sendToServer(socketPath, argv);
    if (response || Date.now() >= deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
