import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, errors, isAppError } from './errors.catalog';
import { translatorFor, type Translator } from './i18n';
import { redactUrl } from './logger';

/**
 * The one error module. Every error a person can meet has a stable id, an HTTP status, a sentence
 * saying what happened and one saying what to do next (the catalogue: `errors.catalog.ts`). Routes
 * throw these; one handler renders them as a page (browsers) or JSON (API clients).
 */
export { AppError, errors, isAppError };

/** SQLSTATEs of a database that went away or refused us (restart, failover, shutdown, no connections). */
const DATABASE_GONE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const DATABASE_GONE_MESSAGE =
  /Connection terminated|not currently accepting connections|connection error|ECONNREFUSED|ECONNRESET/;

/** True when `error` (or one of its causes) says the database could not be reached, not that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (DATABASE_GONE.has(code) || /^ECONN(REFUSED|RESET)$/.test(code)))
      return true;
    if (typeof message === 'string' && DATABASE_GONE_MESSAGE.test(message.split('\n')[0] ?? '')) return true;
    current = cause;
  }
  return false;
}

const SCHOOL_OF_ERROR = Symbol('school');

/** Marks a refusal as concerning a school (the operator console lists each school's latest errors). */
export function forSchool<E extends AppError>(error: E, schoolId: string): E {
  (error as unknown as Record<symbol, string>)[SCHOOL_OF_ERROR] = schoolId;
  return error;
}

/** What the error handler records for a school's failed request: no message, no query, no secret. */
export interface SchoolErrorRecord {
  schoolId: string;
  errorId: string;
  status: number;
  requestId: string;
  /** The request's path without its query string. */
  path: string;
}

/** The school a failed request concerned: marked on the error, or set by a route in `res.locals.schoolId`. */
function schoolOfFailure(error: unknown, locals: Record<string, unknown>): string | undefined {
  const marked =
    typeof error === 'object' && error !== null
      ? (error as Record<symbol, unknown>)[SCHOOL_OF_ERROR]
      : undefined;
  if (typeof marked === 'string') return marked;
  return typeof locals.schoolId === 'string' ? locals.schoolId : undefined;
}

export interface ErrorPageModel {
  id: string;
  status: number;
  title: string;
  detail: string;
  nextStep: string;
  requestId: string;
}

/** The page for an error, in the translator's language when the catalogs have words for it. */
export function toErrorPageModel(
  error: AppError,
  requestId: string,
  translator: Translator = translatorFor(undefined),
): ErrorPageModel & {
  lang: string;
  labels: { whatToDo: string; backToConnection: string; reference: string };
} {
  const key = `errors.${error.id}`;
  const known = translator.has(`${key}.title`);
  const keepDetail = !known || (error.specific && translator.language === 'en');
  const params = error.params ?? {};
  return {
    id: error.id,
    status: error.status,
    title: known ? translator.t(`${key}.title`, params) : error.title,
    detail: keepDetail ? error.detail : translator.t(`${key}.detail`, params),
    nextStep: known ? translator.t(`${key}.next`, params) : error.nextStep,
    requestId,
    lang: translator.language,
    labels: {
      whatToDo: translator.t('errors.whatToDo'),
      backToConnection: translator.t('admin.connection.backToConnection'),
      // Ids are [a-z_] and request ids [A-Za-z0-9._-]: nothing here needs escaping.
      reference: translator.t(requestId ? 'errors.reference' : 'errors.referenceNoRequest', {
        id: error.id,
        status: error.status,
        request: requestId,
      }),
    },
  };
}

export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(errors.notFound());
}

/** Renders every error: `views/error.ejs` for browsers, `{error}` JSON for API clients. */
export function errorHandler(
  logger: Logger,
  options: { recordSchoolError?: (record: SchoolErrorRecord) => Promise<void> } = {},
): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = isAppError(error)
      ? error
      : isDatabaseUnavailable(error)
        ? errors.databaseUnavailable({}, error)
        : errors.internal(undefined, error);
    const requestId = String(req.id ?? '');
    const schoolId = schoolOfFailure(error, res.locals);
    if (schoolId && options.recordSchoolError && appError.id !== 'database_unavailable') {
      // Without the query, and without a path segment that is itself a secret (a Zoom connect link).
      const path = redactUrl((req.originalUrl ?? req.url).split('?')[0] ?? '').slice(0, 300);
      options
        .recordSchoolError({ schoolId, errorId: appError.id, status: appError.status, requestId, path })
        .catch((failure: unknown) => logger.warn({ err: failure }, 'a school error could not be recorded'));
    }
    if (appError.id === 'database_unavailable') {
      // Not a bug: the query (and its parameters) stay out of the log.
      logger.warn({ requestId, errorId: appError.id }, 'request failed: the database did not answer');
    } else if (appError.status >= 500) {
      logger.error({ err: error, requestId, errorId: appError.id }, 'request failed');
    } else {
      logger.info({ requestId, errorId: appError.id, detail: appError.detail }, 'request refused');
    }
    if (res.headersSent) return;
    const model = toErrorPageModel(appError, requestId, res.locals.translator as Translator | undefined);
    res.status(appError.status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: model });
    } else {
      res.render('error', model);
    }
  };
}
