import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { asyncHandler } from '../shared/http';
import { ImportRefused, type ImportCandidate, type MeetingImports } from './meetings.import';
import { courseContextOf, type CourseContext } from './meetings.context';
import { assertCanChangeMeetings } from './meetings.policy';
import { refusalOf } from './meetings.refusals';
import type { MeetingsService } from './meetings.service';
import { formatInstant } from './meetings.time';

export interface ImportRouteDeps {
  imports: MeetingImports;
  meetings: Pick<MeetingsService, 'topicOf' | 'now'>;
}

/** What the paste form and each Add button send: the meeting's id or join link. */
const importForm = z.object({ meeting: z.string().max(2000).default('') });
/** After an import: the meeting added (`added`), or already in the course (`already`). */
const doneQuery = z.object({
  added: z.string().max(40).optional(),
  already: z.literal('1').optional(),
  registration: z.literal('failed').optional(),
});

type Context = CourseContext;

/** The import page (behind the launch, staff only): the host's meetings to add, and the paste form. */
export function importRoutes(deps: ImportRouteDeps): Router {
  const router = express.Router();

  const render = async (
    req: Request,
    res: Response,
    ctx: Context,
    outcome: { lines?: string[]; reference?: string; pasted?: string } = {},
  ) => {
    const { t } = ctx.translator;
    let candidates: ImportCandidate[] = [];
    let listError: string[] | undefined;
    try {
      candidates = await deps.imports.candidates(ctx.course, ctx.actor);
    } catch (error) {
      const refusal = refusalOf(error, ctx.translator, String(req.id ?? ''));
      if (!refusal) throw error;
      req.log.info(refusal.log, 'Zoom could not list the host’s meetings for import');
      listError = refusal.lines;
    }
    const done = doneQuery.safeParse(req.query);
    const added =
      done.success && done.data.added ? await deps.meetings.topicOf(ctx.course, done.data.added) : undefined;
    res.render('course-life/import', {
      ...ctx.common,
      title: t('import.title'),
      candidates: candidates.map((c) => ({
        ...c,
        when: formatInstant(c.startTime, ctx.timeZone, ctx.translator.locale),
      })),
      listError,
      added: added
        ? t(done.success && done.data.already ? 'import.already' : 'import.added', { topic: added.topic })
        : undefined,
      registrationFailed: done.success && done.data.registration === 'failed',
      refusal: outcome.lines,
      reference: outcome.reference,
      pasted: outcome.pasted ?? '',
    });
  };

  router.get(
    '/import',
    asyncHandler(async (req, res) => {
      const ctx = courseContextOf(req, res, deps.meetings.now());
      assertCanChangeMeetings(ctx.launch);
      await render(req, res, ctx);
    }),
  );

  router.post(
    '/import',
    asyncHandler(async (req, res) => {
      const ctx = courseContextOf(req, res, deps.meetings.now());
      assertCanChangeMeetings(ctx.launch);
      ctx.assertForm(req.body);
      const form = importForm.safeParse(req.body);
      const pasted = form.success ? form.data.meeting : '';
      const { t } = ctx.translator;
      try {
        const outcome = await deps.imports.import(ctx.course, ctx.actor, pasted);
        res.redirect(
          303,
          ctx.link('/import', {
            added: outcome.meeting.id,
            already: outcome.already ? '1' : undefined,
            registration: outcome.registration === 'failed' ? 'failed' : undefined,
          }),
        );
      } catch (error) {
        if (error instanceof ImportRefused) {
          req.log.info({ reason: error.reason }, 'meeting import refused');
          res.status(error.status);
          return render(req, res, ctx, { lines: [t(`import.refused.${error.reason}`)], pasted });
        }
        const refusal = refusalOf(error, ctx.translator, String(req.id ?? ''));
        if (!refusal) throw error;
        req.log.info(refusal.log, 'Zoom refused the meeting import');
        res.status(refusal.status);
        return render(req, res, ctx, { lines: refusal.lines, reference: refusal.reference, pasted });
      }
    }),
  );

  return router;
}
