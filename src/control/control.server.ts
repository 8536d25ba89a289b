import fs from 'node:fs';
import net from 'node:net';
import type { Logger } from '../shared/logger';
import {
  controlRequest,
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  MAX_SOCKET_PATH_BYTES,
  socketPathFits,
  type ControlResponse,
} from './control.schema';
import { LineTooLong, readLine, writeLine } from './control.wire';

/**
 * The server's end of the control channel. With the embedded database the server is the only
 * process that may open DATA_DIR, so the operator CLI hands its command line to the server over a
 * Unix domain socket in DATA_DIR, and the server runs it with the very same program the CLI runs.
 *
 * - Only the user running the server can connect: the socket is created mode 0600 (under a umask,
 *   so there is no moment it is open to others), and a socket found with any other mode after is
 *   closed and removed (the server runs on without it).
 * - A socket file at the path when the server starts is stale (a server killed outright leaves
 *   one): the server holds DATA_DIR's lock by then, so no live process can own it. It is replaced.
 * - One request per connection, at most MAX_REQUEST_BYTES; a connection that has not sent its
 *   request within `timeoutMs` is closed, and a command not finished by then is answered with
 *   exit 1 (it may still complete: the answer says so).
 * - Each command is logged by its name (`platform add`), never by its arguments.
 * - A socket that cannot be opened (DATA_DIR's path too long for one, a non-socket file in the
 *   way) is logged as a warning and the server runs on: only the CLI beside it is refused.
 */

export interface ControlServerOptions {
  socketPath: string;
  logger: Logger;
  /** Runs a command line, capturing what it prints. */
  run(argv: string[]): Promise<ControlResponse>;
  /** The command's name for the log (`platform add`): registered command names only. */
  describe(argv: string[]): string;
  /** Per connection: for the request to arrive and the command to finish. */
  timeoutMs?: number;
  maxRequestBytes?: number;
}

export interface ControlServer {
  socketPath: string;
  /** False when the socket could not be opened (logged): the server runs on without it. */
  listening: boolean;
  /** Stops taking commands, waits (bounded) for those running, removes the socket file. */
  close(graceMs?: number): Promise<void>;
}

const TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 5_000;

const refused = (message: string): ControlResponse => ({
  exitCode: 1,
  stdout: '',
  stderr: `Error: ${message}\n`,
});

function removeStale(socketPath: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket: move it away`);
  fs.unlinkSync(socketPath);
}

async function listen(server: net.Server, socketPath: string): Promise<void> {
  if (!socketPathFits(socketPath)) {
    throw new Error(
      `${socketPath} is longer than a Unix socket path may be (${MAX_SOCKET_PATH_BYTES} bytes): use a shorter DATA_DIR`,
    );
  }
  removeStale(socketPath);
  const listening = new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // The socket is bound synchronously inside listen(): created 0600 under this umask.
  const umask = process.umask(0o177);
  try {
    server.listen(socketPath);
  } finally {
    process.umask(umask);
  }
  await listening;
  // Checked, not set: a chmod now would leave the moment before it open to others.
  const mode = fs.lstatSync(socketPath).mode & 0o777;
  if (mode !== 0o600) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(socketPath, { force: true });
    throw new Error(
      `${socketPath} was created mode 0${mode.toString(8)}, not 0600: not accepting commands on it`,
    );
  }
}

/** Listens on `socketPath`; resolves once it accepts connections (or, logged, could not). */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { socketPath, logger } = options;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const maxRequestBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const connections = new Set<net.Socket>();
  const running = new Set<Promise<void>>();

  async function serve(socket: net.Socket, received: () => void): Promise<void> {
    let line: string;
    try {
      line = await readLine(socket, maxRequestBytes);
    } catch (error) {
      if (error instanceof LineTooLong) {
        writeLine(socket, refused(`the command line is longer than ${maxRequestBytes} bytes.`));
      } else socket.destroy();
      return;
    }
    received();
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      json = undefined;
    }
    const request = controlRequest.safeParse(json);
    if (!request.success) {
      writeLine(
        socket,
        refused('the control request was not understood (one line of JSON: {"argv": [...]}).'),
      );
      return;
    }
    const command = options.describe(request.data.argv);
    const started = Date.now();
    let response: ControlResponse;
    try {
      response = await options.run(request.data.argv);
    } catch (error) {
      logger.error({ err: error, command }, 'operator command failed over the control socket');
      response = refused("the server could not run the command; see the server's log.");
    }
    logger.info(
      { command, exitCode: response.exitCode, durationMs: Date.now() - started },
      'operator command ran over the control socket',
    );
    if (Buffer.byteLength(JSON.stringify(response)) > MAX_RESPONSE_BYTES) {
      response = refused(
        `the command's output is larger than the control socket carries (${MAX_RESPONSE_BYTES} bytes); stop the server and run the CLI directly.`,
      );
    }
    writeLine(socket, response);
  }

  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => undefined); // the CLI went away: nothing to answer
    let requestReceived = false;
    const deadline = setTimeout(() => {
      if (requestReceived) {
        writeLine(
          socket,
          refused(
            `the command did not finish within ${Math.round(timeoutMs / 1000)} s; it may still complete: check with \`npm run cli -- platform list\`.`,
          ),
        );
      }
      socket.destroy();
    }, timeoutMs);
    deadline.unref();
    const work = serve(socket, () => (requestReceived = true))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'the control socket failed to answer');
        socket.destroy();
      })
      .finally(() => clearTimeout(deadline));
    running.add(work);
    void work.finally(() => running.delete(work));
  });

  try {
    await listen(server, socketPath);
  } catch (error) {
    // The server works without it; only the CLI beside it is refused (and says why).
    logger.warn(
      { err: error, socketPath },
      'the control socket could not be opened: the operator CLI cannot run while this server runs',
    );
    return { socketPath, listening: false, close: async () => undefined };
  }
  logger.info({ socketPath }, 'operator commands accepted on the control socket');

  let closing: Promise<void> | undefined;
  return {
    socketPath,
    listening: true,
    close(graceMs = CLOSE_GRACE_MS) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        try {
          fs.unlinkSync(socketPath);
        } catch {
          // already gone (closing the server removes it too)
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...running]),
          new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
        ]);
        clearTimeout(timer);
        for (const socket of connections) socket.destroy();
        await closed;
      })();
      return closing;
    },
  };
}
