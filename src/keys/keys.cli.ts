import { Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config';
import { SecretBox } from '../shared/crypto';
import { AppError } from '../shared/errors';
import { beginKeyFileRotation, finishKeyFileRotation } from '../shared/master-key';
import type { Db } from '../storage';
import type { CliIo } from '../tenants/tenants.cli';
import { rotateSealedValues, type RotationSummary } from './keys.rotate';

/** What `keys rotate` needs: the CLI's own database (never a running server's) and its configuration. */
export interface KeyRotationTarget {
  config: Pick<Config, 'encryptionKey' | 'encryptionKeyPrevious' | 'dataDir' | 'databaseUrl'>;
  db: Db;
}

export const keyErrors = {
  /** The command reached the server holding the embedded database: its keys are fixed while it runs. */
  serverRunning: () =>
    new AppError(
      'key_rotation_server_running',
      409,
      'Stop the server to rotate the key',
      'A running server holds the embedded database; it seals and signs with the key it started with, so the key cannot change under it.',
      'Stop the server, run `npm run cli -- keys rotate`, then start the server again (docs/operations.md).',
    ),
  noPreviousKey: () =>
    new AppError(
      'key_rotation_no_previous_key',
      400,
      'No previous key to rotate from',
      'ENCRYPTION_KEY_PREVIOUS is not set, so there is nothing to re-seal from.',
      'Set the new key as ENCRYPTION_KEY and the old one as ENCRYPTION_KEY_PREVIOUS, restart every instance, then run `npm run cli -- keys rotate` (docs/operations.md).',
    ),
  unreadable: (count: number) =>
    new AppError(
      'key_rotation_unreadable',
      500,
      'Some sealed values open under neither key',
      `${count} sealed value(s) open under neither the current nor the previous key; they were left as they are.`,
      'Check that ENCRYPTION_KEY_PREVIOUS (or DATA_DIR/encryption.key.previous) is the key the data was sealed with; the summary names the columns. Keep the previous key until this run reports none.',
    ),
};

function batchSize(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 10_000)
    throw new InvalidArgumentError('must be a whole number from 1 to 10000');
  return parsed;
}

/**
 * `keys rotate`: re-seals every sealed value under the current master key. On PostgreSQL (or with
 * ENCRYPTION_KEY set) the operator has set the new key as ENCRYPTION_KEY and the old one as
 * ENCRYPTION_KEY_PREVIOUS; on the embedded database with its generated key, the command makes the
 * new key itself and keeps the old one as DATA_DIR/encryption.key.previous until every value is
 * re-sealed. Run again after an interruption: it resumes. Prints counts, never values.
 */
export function keysCommands(openTarget: () => Promise<KeyRotationTarget | undefined>, io: CliIo): Command {
  const keys = new Command('keys')
    .description('The master key (ENCRYPTION_KEY) that seals stored secrets')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  keys
    .command('rotate')
    .description('Re-seal every stored secret under the current key (resumable; see docs/operations.md)')
    .option('--batch-size <rows>', 'rows per transaction', batchSize, 200)
    .option('--json', 'print the summary as JSON', false)
    .action(async (options: { batchSize: number; json: boolean }) => {
      const target = await openTarget();
      if (!target) throw keyErrors.serverRunning();
      const { config } = target;
      let box: SecretBox;
      let finish: () => string;
      if (config.encryptionKey) {
        if (!config.encryptionKeyPrevious) throw keyErrors.noPreviousKey();
        box = new SecretBox(config.encryptionKey, { previousMasterKeys: [config.encryptionKeyPrevious] });
        finish = () =>
          'Every sealed value is under ENCRYPTION_KEY. Remove ENCRYPTION_KEY_PREVIOUS and restart every instance.';
      } else {
        const { current, previous } = beginKeyFileRotation(config.dataDir);
        box = new SecretBox(current, { previousMasterKeys: [previous] });
        finish = () => {
          finishKeyFileRotation(config.dataDir);
          return `Every sealed value is under the new key in ${config.dataDir}/encryption.key; the previous key file was removed. Back the new key up with the database.`;
        };
      }
      const summary = await rotateSealedValues({
        db: target.db,
        box,
        batchSize: options.batchSize,
        afterBatch: ({ column, batch, resealed }) =>
          io.err(`batch ${batch}: re-sealed ${resealed} value(s) in ${column}\n`),
      });
      const done = summary.unreadable === 0;
      const message = done ? finish() : undefined;
      io.out(options.json ? `${JSON.stringify({ done, ...summary })}\n` : describe(summary, message));
      if (!done) throw keyErrors.unreadable(summary.unreadable);
    });
  return keys;
}

function describe(summary: RotationSummary, message: string | undefined): string {
  const lines = summary.columns.map(
    (c) =>
      `${c.column.padEnd(42)} ${c.seen} sealed: ${c.resealed} re-sealed, ${c.current} already current` +
      (c.changedMeanwhile ? `, ${c.changedMeanwhile} changed meanwhile` : '') +
      (c.unreadable ? `, ${c.unreadable} UNREADABLE` : ''),
  );
  return [...lines, `${summary.resealed} value(s) re-sealed in ${summary.batches} batch(es).`, message ?? '']
    .filter(Boolean)
    .join('\n')
    .concat('\n');
}
