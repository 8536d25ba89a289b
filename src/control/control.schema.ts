import path from 'node:path';
import { z } from 'zod';

/**
 * The control channel's protocol: over a Unix domain socket in DATA_DIR, the CLI sends one line of
 * JSON, `{ argv }`, and the server answers one line, `{ exitCode, stdout, stderr }`, then closes.
 */

export const CONTROL_SOCKET_FILE = 'control.sock';

/** A request is a command line: a few hundred bytes in practice. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** An answer is what the command printed (`platform list --json` of many schools). */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export const controlRequest = z.object({ argv: z.array(z.string().max(8 * 1024)).max(256) }).strict();
export type ControlRequest = z.infer<typeof controlRequest>;

export const controlResponse = z
  .object({
    exitCode: z.number().int().min(0).max(255),
    stdout: z.string(),
    stderr: z.string(),
  })
  .strict();
export type ControlResponse = z.infer<typeof controlResponse>;

export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, CONTROL_SOCKET_FILE);
}

/**
 * A Unix socket's path holds at most 107 bytes on Linux (103 on macOS); Node binds and connects a
 * longer one silently truncated, which would be another file. Such a path is not used at all.
 */
export const MAX_SOCKET_PATH_BYTES = 103;

export function socketPathFits(socketPath: string): boolean {
  return Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH_BYTES;
}
