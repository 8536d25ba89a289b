import type { Request, Response } from 'express';
import { requestContext } from '../web';
import type { Viewer } from './meetings.presenter';
import { isTimeZone } from './meetings.time';
import { canonicalZone } from './meetings.zones';

/**
 * What a course page's request needs beyond its launch (import, hand-over, next term), resolved once:
 * the launch context's launch, school, language, form token and links; the viewer's zone (the
 * browser's `tz`, else the school's), the course, and who acts.
 */
export function courseContextOf(req: Request, res: Response, now: number) {
  const { launch, school, translator, csrf, assertForm, link: launchLink } = requestContext(res);
  // The browser's zone by its current name (Chromium in India says Asia/Calcutta).
  const tz =
    typeof req.query.tz === 'string' && isTimeZone(req.query.tz) ? canonicalZone(req.query.tz) : undefined;
  const viewer: Viewer = {
    timeZone: tz ?? school.timeZone,
    zoneFromBrowser: tz !== undefined,
    translator,
    now,
  };
  const link = (path: string, extra: Record<string, string | undefined> = {}) =>
    launchLink(path, { tz, ...extra });
  return {
    launch,
    school,
    translator,
    viewer,
    timeZone: viewer.timeZone,
    assertForm,
    link,
    course: { schoolId: school.id, lmsIssuer: launch.issuer, contextId: launch.course.id },
    actor: {
      userId: launch.userId,
      name: launch.name,
      issuer: launch.issuer,
      timeZone: viewer.timeZone,
      locale: translator.locale,
    },
    common: { t: translator.t, lang: translator.language, ltik: launch.ltik, tz: tz ?? '', csrf, link },
  };
}

export type CourseContext = ReturnType<typeof courseContextOf>;
