import type net from 'node:net';

export class LineTooLong extends Error {}
export class LineUnfinished extends Error {}

/**
 * The first newline-terminated line `socket` sends (without the newline), at most `maxBytes`;
 * rejects with LineTooLong past that, with LineUnfinished when the socket ends or fails first.
 */
export function readLine(socket: net.Socket, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (settle: () => void) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
      settle();
    };
    const onData = (chunk: Buffer) => {
      const newline = chunk.indexOf(0x0a);
      const take = newline === -1 ? chunk : chunk.subarray(0, newline);
      size += take.length;
      if (size > maxBytes) return done(() => reject(new LineTooLong(`longer than ${maxBytes} bytes`)));
      chunks.push(take);
      if (newline !== -1) done(() => resolve(Buffer.concat(chunks).toString('utf8')));
    };
    const onEnd = () => done(() => reject(new LineUnfinished('the connection ended before a full line')));
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onEnd);
  });
}

/** Writes `value` as one line of JSON and ends the connection. */
export function writeLine(socket: net.Socket, value: unknown): void {
  if (socket.destroyed || socket.writableEnded) return;
  socket.end(`${JSON.stringify(value)}\n`);
}
