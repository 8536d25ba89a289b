import express, { type Response, type Router } from 'express';
import { consentPage, refusalPage } from './zoom-sim.consent';
import type { SimContext } from './zoom-sim.context';
import { sendOAuthError, ZoomOAuthError } from './zoom-sim.errors';
import { AuthorizeRefusal, type OAuthService } from './zoom-sim.oauth';
import {
  authorizeFormSchema,
  authorizeQuerySchema,
  singleValues,
  tokenParamsSchema,
} from './zoom-sim.schema';

const queryStringOf = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');

/** `/oauth/authorize`, `/oauth/token`, `/oauth/revoke`: parse, call the OAuth service, answer like Zoom. */
export function oauthRouter(ctx: SimContext, oauth: OAuthService): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  const parseQuery = (input: Record<string, string>) => {
    const parsed = authorizeQuerySchema.safeParse(input);
    if (!parsed.success) {
      throw new AuthorizeRefusal(
        400,
        'Invalid request',
        'The authorization request is malformed.',
        'Check the parameters.',
      );
    }
    return parsed.data;
  };

  /** With `oauth.consentSignIns` (the sandbox), each account's owner, as a signed-in browser offers. */
  const signedIn = (): string[] =>
    ctx.options.oauth.consentSignIns
      ? [...ctx.state.accounts.values()]
          .map((account) => ctx.state.users.get(account.owner_id)?.email)
          .filter((email): email is string => Boolean(email))
      : [];

  const refuse = (res: Response, err: unknown) => {
    if (!(err instanceof AuthorizeRefusal)) throw err;
    res.locals.errorCode = err.code;
    res
      .status(err.status)
      .type('html')
      .send(refusalPage(err.title, err.detail, err.nextStep, err.code));
  };

  router.get('/authorize', (req, res) => {
    try {
      const query = parseQuery(singleValues(req.query));
      res.locals.clientId = query.client_id;
      const { app, redirectUri } = oauth.checkAuthorize(query);
      if (query.response_type !== 'code') {
        const url = new URL(redirectUri);
        url.searchParams.set('error', 'unsupported_response_type');
        if (query.state !== undefined) url.searchParams.set('state', query.state);
        return res.redirect(302, url.toString());
      }
      res.type('html').send(consentPage(app, queryStringOf(req.originalUrl), undefined, signedIn()));
    } catch (err) {
      refuse(res, err);
    }
  });

  router.post('/authorize', form, (req, res) => {
    try {
      const body = singleValues(req.body);
      const query = parseQuery({ ...body, ...singleValues(req.query) });
      res.locals.clientId = query.client_id;
      const decision = authorizeFormSchema.parse(body);
      if (decision.decision === 'decline') return res.redirect(302, oauth.declineUrl(query));
      const email = decision.email ?? '';
      try {
        res.redirect(302, oauth.approve(query, email));
      } catch (err) {
        if (!(err instanceof AuthorizeRefusal && err.aboutSignIn)) throw err;
        // Someone else's email, or a typo: the same form again, with why and what was typed.
        const { app } = oauth.checkAuthorize(query);
        res.locals.errorCode = err.code;
        res
          .status(err.status)
          .type('html')
          .send(
            consentPage(
              app,
              queryStringOf(req.originalUrl),
              {
                email,
                title: err.title,
                detail: err.detail,
                nextStep: err.nextStep,
              },
              signedIn(),
            ),
          );
      }
    } catch (err) {
      refuse(res, err);
    }
  });

  router.post('/token', form, (req, res) => {
    const received = { ...singleValues(req.query), ...singleValues(req.body) };
    res.locals.grantType = received.grant_type ?? null;
    try {
      const app = oauth.authenticateClient(req.headers.authorization);
      res.locals.clientId = app.client_id;
      const params = tokenParamsSchema.parse(received);
      const body = oauth.token(app, params);
      res.locals.accountId = ctx.state.accessTokens.get(body.access_token)?.account_id;
      res.set('Cache-Control', 'no-store').json(body);
    } catch (err) {
      if (!(err instanceof ZoomOAuthError)) throw err;
      sendOAuthError(res, err, ctx.options);
    }
  });

  router.post('/revoke', form, (req, res) => {
    try {
      const app = oauth.authenticateClient(req.headers.authorization);
      res.locals.clientId = app.client_id;
      const token = singleValues(req.query).token ?? singleValues(req.body).token;
      const { account_id, user_id } = oauth.revoke(app, token);
      res.locals.accountId = account_id;
      if (ctx.options.oauth.revokeSendsDeauthorized) {
        ctx.events.emitToApp(app.client_id, 'app_deauthorized', {
          account_id,
          user_id,
          client_id: app.client_id,
          deauthorization_time: ctx.clock.iso(),
        });
      }
      res.json({ status: 'success' });
    } catch (err) {
      if (!(err instanceof ZoomOAuthError)) throw err;
      sendOAuthError(res, err, ctx.options);
    }
  });

  return router;
}
