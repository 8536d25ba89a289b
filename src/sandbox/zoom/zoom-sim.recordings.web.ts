import crypto from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { escapeHtml, page } from './zoom-sim.consent';
import { shareIdOf, type RecordingsService } from './zoom-sim.recordings';
import { singleValues } from './zoom-sim.schema';

/**
 * A recording's `share_url` (`/rec/share/{id}`) and its files' `play_url` (`/rec/play/{fileId}`),
 * as a viewer's browser meets them. A recording whose sharing is off (`share_recording` 'none')
 * does not exist for the link (404, as Zoom); one shared internally asks the viewer to sign in to
 * the account (a link from outside cannot). A recording without a passcode plays at once. One with
 * a passcode (the account's "Require passcode to access shared cloud recordings") shows Zoom's
 * prompt unless the link carries the recording's current `recording_play_passcode` as `?pwd=` (a
 * rotated passcode makes the old one wrong); the prompt takes the `password` itself. The pages mark
 * what they are (`data-recording`, `data-passcode-prompt`, `data-recording-missing`,
 * `data-sign-in`) for tests and the sandbox's browser.
 */
export function recordingsWebRouter(recordings: RecordingsService): Router {
  const router = express.Router();

  const show = (
    res: Response,
    link: { shareId: string } | { fileId: string },
    given: { pwd?: string; password?: string },
  ) => {
    const found = recordings.shared(link);
    if (!found || found.mode === 'none') {
      res.locals.errorCode = 3301;
      if (found) res.locals.accountId = found.meeting.account_id;
      return res
        .status(404)
        .type('html')
        .send(page('Recording not found', '<h1 data-recording-missing>This recording does not exist.</h1>'));
    }
    res.locals.accountId = found.meeting.account_id;
    if (found.mode === 'internally') {
      return res
        .status(401)
        .type('html')
        .send(
          page(
            'Sign in to view',
            '<h1 data-sign-in>Sign in to view this recording</h1><p>Only users of the account can view it.</p>',
          ),
        );
    }
    const shareId = shareIdOf(found.instance.uuid);
    const { passcode } = found;
    const opened =
      !passcode ||
      (given.pwd !== undefined && sameText(given.pwd, passcode.play)) ||
      (given.password !== undefined && sameText(given.password, passcode.password));
    if (opened) {
      const files = found.instance.recording_files
        .map((f) => `<li>${escapeHtml(f.recording_type)} (${escapeHtml(f.file_extension)})</li>`)
        .join('');
      return res
        .type('html')
        .send(
          page(
            found.meeting.topic,
            `<h1 data-recording="${escapeHtml(found.instance.uuid)}">${escapeHtml(found.meeting.topic)}</h1><ul>${files}</ul>`,
          ),
        );
    }
    const wrong = given.password !== undefined || given.pwd !== undefined;
    return res
      .type('html')
      .send(
        page(
          'Enter the passcode',
          [
            '<h1>This recording is protected</h1>',
            wrong ? '<p role="alert">Wrong passcode.</p>' : '',
            `<form method="post" data-passcode-prompt action="/rec/share/${escapeHtml(shareId)}">`,
            '<label for="password">Passcode</label> <input id="password" name="password" required>',
            '<button type="submit">Watch recording</button></form>',
          ].join(''),
        ),
      );
  };

  router.get('/rec/share/:shareId', (req, res) => {
    const query = singleValues(req.query);
    show(res, { shareId: String(req.params.shareId) }, { pwd: query.pwd });
  });
  router.get('/rec/play/:fileId', (req, res) => {
    const query = singleValues(req.query);
    show(res, { fileId: String(req.params.fileId) }, { pwd: query.pwd });
  });
  router.post('/rec/share/:shareId', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const password = typeof body.password === 'string' ? body.password : '';
    show(res, { shareId: String(req.params.shareId) }, { password });
  });

  return router;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
