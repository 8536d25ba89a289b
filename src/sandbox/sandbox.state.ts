import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SimSnapshot } from './zoom';
import { SANDBOX_STATE_FILE } from './sandbox.config';

/**
 * What the sandbox keeps in DATA_DIR between runs: the ports it listened on (reused when free, so
 * links stay the same) and the Zoom simulator's accounts, app, users, meetings and tokens (so a
 * connected school stays connected). The registrations live in the database like any other.
 * Its secrets are the simulator's own, worth nothing outside it; the file is still private (0600).
 */
const stateSchema = z.object({
  version: z.literal(1),
  ports: z.record(z.string(), z.number().int().min(1).max(65535)),
  zoom: z
    .object({
      oauthApp: z.object({ clientId: z.string(), clientSecret: z.string(), webhookSecretToken: z.string() }),
      accounts: z.record(z.string(), z.object({ accountId: z.string(), adminEmail: z.string() })),
      snapshot: z.custom<SimSnapshot>(
        (value) =>
          typeof value === 'object' && value !== null && (value as { version?: unknown }).version === 1,
      ),
    })
    .optional(),
});

export type SandboxState = z.infer<typeof stateSchema>;

export class SandboxStateFile {
  readonly file: string;
  private lastWritten: string | undefined;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, SANDBOX_STATE_FILE);
  }

  /** The saved state, or an empty one (first run, or a file that cannot be read: `problem` says why). */
  read(): { state: SandboxState; problem?: string } {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { state: { version: 1, ports: {} } };
    }
    try {
      const parsed = stateSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        this.lastWritten = text;
        return { state: parsed.data };
      }
      return { state: { version: 1, ports: {} }, problem: parsed.error.message };
    } catch (error) {
      return { state: { version: 1, ports: {} }, problem: (error as Error).message };
    }
  }

  /** Writes the state when it changed (to a temporary file, then renamed: never half a file). */
  write(state: SandboxState): void {
    const text = JSON.stringify(state);
    if (text === this.lastWritten) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text, { mode: 0o600 });
    fs.renameSync(temporary, this.file);
    this.lastWritten = text;
  }
}
