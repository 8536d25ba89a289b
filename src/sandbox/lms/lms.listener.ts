import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** The emulator's own port: listening, closing, and the base URL the LMS is reached at. */
export class LmsListener {
  private server?: Server;
  private startedBaseUrl?: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  get listening(): boolean {
    return this.server !== undefined;
  }

  get baseUrl(): string {
    if (this.startedBaseUrl) return this.startedBaseUrl;
    if (this.port !== 0) return `http://${this.publicHost()}:${this.port}`;
    throw new Error('LMS emulator: its base URL is known once start() has resolved (port 0 is ephemeral)');
  }

  private publicHost(): string {
    return this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
  }

  async start(app: Express): Promise<void> {
    const server = app.listen(this.port, this.host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const host = this.publicHost();
    this.startedBaseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }
}
