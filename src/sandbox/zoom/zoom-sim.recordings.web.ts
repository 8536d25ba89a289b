import crypto from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { escapeHtml, page } from './zoom-sim.consent';
import type { RecordingsService } from './zoom-sim.recordings';
import { singleValues } from './zoom-sim.schema';

/**
 * A recording's `share_url` (`/rec/share/{id}`), as a viewer's browser meets it. A recording
 * without a passcode plays at once. One with a passcode (the account's "Require passcode to
 * access shared cloud recordings") shows Zoom's prompt unless the link carries the recording's
 * `recording_play_passcode` as `?pwd=`; the prompt takes the `password` itself. The pages mark
 * what they are (`data-recording`, `data-passcode-prompt`) for tests and the sandbox's browser.
 */
export function recordingsWebRouter(recordings: RecordingsService): Router {
  const router = express.Router();

  const show = (res: Response, shareId: string, given: { pwd?: string; password?: string }) => {
    const found = recordings.shared(shareId);
    if (!found) {
      res.locals.errorCode = 3301;
      return res
        .status(404)
        .type('html')
        .send(page('Recording not found', '<h1>This recording does not exist.</h1>'));
    }
    res.locals.accountId = found.meeting.account_id;
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
    show(res, String(req.params.shareId), { pwd: query.pwd });
  });
  router.post('/rec/share/:shareId', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const password = typeof body.password === 'string' ? body.password : '';
    show(res, String(req.params.shareId), { password });
  });

  return router;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
