import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { launchOf, type LaunchContext } from '../lti';
import { csrfMatches, csrfToken } from '../shared/csrf';
import { errors } from '../shared/errors';
import { translatorFor, type Translator } from '../shared/i18n';

/**
 * "A page that needs a launch", resolved once per request: every route behind the ltik reads the
 * launch, its school, the viewer's language, the session's form token and links that keep the
 * session from `requestContext(res)`. Resolving it also refuses a session whose registration or
 * deployment the operator deactivated after its launch (`launch_inactive`, 403), before any route
 * reads or changes anything. Roles stay with each capability's policy.
 */

/** The school a launch acts for, as the launch cache reads it. */
export interface LaunchSchool {
  id: string;
  name: string;
  /** IANA zone for someone whose browser did not say its own. */
  timeZone: string;
  sandbox: boolean;
}

export interface LaunchRequestContext {
  launch: LaunchContext;
  school: LaunchSchool;
  /** The launch's language (`launch_presentation.locale`); error pages use it too. */
  translator: Translator;
  /** The form token of this session, for the forms a page renders. */
  csrf: string;
  /** Refuses (`csrf_invalid`, 403) a form whose token is not this session's. */
  assertForm(body: unknown): void;
  /**
   * A link under /lti that keeps the session: `ltik` first, then `query`'s defined values in their
   * order (e.g. `{ tz }`, then a notice).
   */
  link(path: string, query?: Record<string, string | undefined>): string;
}

export interface LaunchContextDeps {
  /** The launch's school while the launch may act (registration, deployment, school active); throws otherwise. */
  schoolOfActiveLaunch(launch: LaunchContext): Promise<LaunchSchool>;
  /** Key of the form tokens (CSRF). */
  formsKey: Buffer;
}

const CONTEXT_LOCAL = 'launchRequestContext';

/** Mounted on the protected router before every route behind the ltik. */
export function launchContext(deps: LaunchContextDeps): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    resolve(deps, res).then(() => next(), next);
  };
}

async function resolve(deps: LaunchContextDeps, res: Response): Promise<void> {
  const launch = launchOf(res);
  const translator = translatorFor(launch.locale);
  // Set first: a refusal below is shown in the launch's language.
  res.locals.translator = translator;
  const school = await deps.schoolOfActiveLaunch(launch);
  const csrf = csrfToken(deps.formsKey, launch.ltik);
  const context: LaunchRequestContext = {
    launch,
    school,
    translator,
    csrf,
    assertForm(body) {
      const given = (body as Record<string, unknown> | undefined)?.csrf;
      if (!csrfMatches(deps.formsKey, launch.ltik, given)) throw errors.csrfInvalid();
    },
    link(path, query = {}) {
      const search = new URLSearchParams({ ltik: launch.ltik });
      for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
      return `/lti${path}?${search.toString()}`;
    },
  };
  res.locals[CONTEXT_LOCAL] = context;
}

/** The context, when this request is behind the ltik and `launchContext` resolved it (every page's header reads it). */
export function launchContextIfResolved(res: Response): LaunchRequestContext | undefined {
  return res.locals[CONTEXT_LOCAL] as LaunchRequestContext | undefined;
}

/** The context `launchContext` resolved for this request (a route behind the ltik). */
export function requestContext(res: Response): LaunchRequestContext {
  const context = res.locals[CONTEXT_LOCAL] as LaunchRequestContext | undefined;
  if (!context) throw errors.launchRequired();
  return context;
}
