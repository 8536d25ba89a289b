import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { errorHandler, errors, isDatabaseUnavailable } from '../../../src/shared/errors';
import { createLogger } from '../../../src/shared/logger';

/**
 * Found by the fault storm: while PostgreSQL restarts, requests fail with the driver's errors. They
 * are the database going away, not a bug: the person is told so (`database_unavailable`, 503), and
 * the failed query with its parameters stays out of the log.
 */
describe('a database that went away', () => {
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
  /** As drizzle wraps the driver's error: the query (and its parameters) in the message, the cause kept. */
  const wrapped = (cause: unknown) =>
    Object.assign(
      new Error('Failed query: select * from zoom_connections where id = $1\nparams: secret-ish'),
      {
        cause,
      },
    );

  it.each([
    [
      'terminated by the administrator (a restart)',
      wrapped(pgError('57P01', 'terminating connection due to administrator command')),
    ],
    ['refusing connections while starting', pgError('57P03', 'the database system is starting up')],
    [
      'not accepting connections',
      wrapped(pgError('55000', 'database "x" is not currently accepting connections')),
    ],
    ['a connection that ended', wrapped(new Error('Connection terminated unexpectedly'))],
    [
      'no server listening',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
  ])('is recognised: %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', wrapped(pgError('23505', 'duplicate key value violates unique constraint'))],
    ['a syntax error', pgError('42601', 'syntax error at or near "selec"')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'Connection terminated'],
  ])('is not confused with %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  function appThrowing(error: unknown, lines: string[]) {
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _encoding, callback) {
          lines.push(String(chunk));
          callback();
        },
      }),
    });
    const app = express();
    app.get('/boom', () => {
      throw error;
    });
    app.use(errorHandler(logger));
    return app;
  }

  it('answers 503 database_unavailable with what to do, and logs no query', async () => {
    const lines: string[] = [];
    const app = appThrowing(
      wrapped(pgError('57P01', 'terminating connection due to administrator command')),
      lines,
    );

    const response = await request(app).get('/boom').accept('json');

    expect(response.status).toBe(503);
    expect(response.body.error).toMatchObject({
      id: 'database_unavailable',
      title: errors.databaseUnavailable().title,
      nextStep: expect.stringContaining('Try again in a minute'),
    });
    expect(lines.join('')).toContain('database_unavailable');
    expect(lines.join('')).not.toMatch(/Failed query|params|secret-ish/);
  });

  it('anything else stays a 500 internal_error', async () => {
    const response = await request(appThrowing(new TypeError('a bug'), []))
      .get('/boom')
      .accept('json');
    expect(response.status).toBe(500);
    expect(response.body.error.id).toBe('internal_error');
  });
});
