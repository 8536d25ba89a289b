import {
  AGS_MEDIA_TYPES,
  describeIssues,
  lineItemBodySchema,
  lineItemFilterSchema,
  lineItemFrom,
  parseJson,
  resultFilterSchema,
  readScore,
  requireMediaType,
} from './lms.ags.schema';
import { pageOf } from './lms.ags.paging';
import { ROLES, type LmsProfile } from './lms.profiles';
import { ServiceError } from './lms.services';
import type { AgsFault, AgsLineItem, AgsScore, LmsCourse, LmsGradebook, LmsUser } from './lms.types';

export interface AgsEnvironment {
  profile: LmsProfile;
  baseUrl(): string;
  findCourse(courseId: string): LmsCourse | undefined;
  roster(courseId: string): LmsUser[];
  /** The `sub` the LMS sends for a user at launch (what a score's userId names). */
  subjectOf(user: LmsUser): string;
}

/** What an AGS endpoint answers: a status, a media type and body, and a Link header if paged. */
export interface AgsAnswer {
  status: number;
  type?: string;
  body?: unknown;
  link?: string;
}

/**
 * LTI Assignment and Grade Services 2.0 as Moodle 4.5 (mod/lti/service/gradebookservices) and
 * Canvas (Lti::IMS::LineItemsController, ScoresController, ResultsController) answer it.
 *
 * Where the two differ, each profile keeps its LMS's answer:
 * - The timestamp rule. Moodle compares whole seconds and refuses a score whose timestamp is not
 *   after the stored one with 409 "Refusing score with an earlier timestamp…" (so an identical
 *   repeat is refused too, and changes nothing). Canvas refuses only an earlier timestamp, with 400
 *   "Provided timestamp of … before last updated timestamp of …"; the same timestamp is taken
 *   (an identical repeat answers 200 and changes nothing).
 * - A user who is not a student of the course: Moodle 400 "Incorrect score received", Canvas 422.
 * - scoreGiven without scoreMaximum: Moodle takes a maximum of 1; Canvas 422.
 * - scoreGiven is kept only when gradingProgress is FullyGraded (Moodle) or FullyGraded or
 *   PendingManual (Canvas); otherwise the column shows no grade.
 * - Paging: Moodle `limit` and `from`, with a Link header whose rel values are in typographic
 *   quotes (rel=“next”, as lineitems.php writes them); Canvas `limit` and `page`, rel="next".
 * - Request bodies: Moodle takes only the exact media type (400 otherwise); Canvas also takes
 *   application/json.
 * The emulator is stricter than Moodle in one place: Moodle does not check the progress enums;
 * the emulator refuses an unknown value (Moodle 400, Canvas 422) so a tool's typo shows in tests.
 */
export class AgsService {
  private readonly lineItems = new Map<string, AgsLineItem>();
  private readonly scores = new Map<string, AgsScore>();
  private nextId: number;
  private fault?: AgsFault;

  constructor(private readonly env: AgsEnvironment) {
    // Moodle's grade item ids follow the course's own items; Canvas's are small integers.
    this.nextId = env.profile.name === 'moodle' ? 11 : 1;
  }

  failNext(fault: AgsFault): void {
    this.fault = fault.count > 0 ? { ...fault } : undefined;
  }

  /** The injected fault this request meets, if any (it counts down). */
  takeFault(): AgsFault | undefined {
    const fault = this.fault;
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.fault = undefined;
    return fault;
  }

  private get moodle(): boolean {
    return this.env.profile.name === 'moodle';
  }

  private course(courseId: string): LmsCourse {
    const course = this.env.findCourse(courseId);
    if (!course) {
      throw new ServiceError(404, 'not_found', `Not Found: Course ${courseId} doesn't exist`);
    }
    return course;
  }

  private item(courseId: string, itemId: string): AgsLineItem {
    this.course(courseId);
    const item = this.lineItems.get(itemId);
    if (!item || item.courseId !== courseId) {
      throw new ServiceError(
        404,
        'not_found',
        `Not Found: line item ${itemId} doesn't exist in course ${courseId}`,
      );
    }
    return item;
  }

  private url(path: string): string {
    return this.env.baseUrl() + path;
  }

  private lineItemJson(item: AgsLineItem): Record<string, unknown> {
    return {
      id: item.url,
      label: item.label,
      scoreMaximum: item.scoreMaximum,
      ...(this.moodle
        ? {
            resourceId: item.resourceId ?? '',
            tag: item.tag ?? '',
            ...(item.resourceLinkId
              ? { resourceLinkId: item.resourceLinkId, ltiLinkId: item.resourceLinkId }
              : {}),
          }
        : {
            ...(item.resourceId !== undefined ? { resourceId: item.resourceId } : {}),
            ...(item.tag !== undefined ? { tag: item.tag } : {}),
            ...(item.resourceLinkId ? { resourceLinkId: item.resourceLinkId } : {}),
          }),
      ...(item.startDateTime ? { startDateTime: item.startDateTime } : {}),
      ...(item.endDateTime ? { endDateTime: item.endDateTime } : {}),
    };
  }

  private readLineItemBody(contentType: string | undefined, raw: string) {
    requireMediaType(this.env.profile.name, contentType, AGS_MEDIA_TYPES.lineItem);
    const parsed = lineItemBodySchema.safeParse(parseJson(raw, 'line item'));
    if (!parsed.success) {
      throw new ServiceError(
        400,
        'invalid_request',
        `the line item is refused: ${describeIssues(parsed.error)}`,
      );
    }
    return parsed.data;
  }

  private withQuery(path: string, params: Record<string, string | undefined>): string {
    const url = new URL(this.url(path));
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(key, value);
    return url.toString();
  }

  listLineItems(courseId: string, query: unknown): AgsAnswer {
    this.course(courseId);
    const parsed = lineItemFilterSchema.safeParse(query);
    if (!parsed.success)
      throw new ServiceError(400, 'invalid_request', 'limit, from and page must be whole numbers');
    const filter = parsed.data;
    const items = [...this.lineItems.values()].filter(
      (item) =>
        item.courseId === courseId &&
        (filter.resource_link_id === undefined || item.resourceLinkId === filter.resource_link_id) &&
        (filter.resource_id === undefined || item.resourceId === filter.resource_id) &&
        (filter.tag === undefined || item.tag === filter.tag),
    );
    const { resource_link_id, resource_id, tag } = filter;
    const { slice, link } = pageOf(this.env.profile.nrpsPaging, items, filter, (params) =>
      this.withQuery(this.env.profile.paths.lineItems(courseId), {
        resource_link_id,
        resource_id,
        tag,
        ...params,
      }),
    );
    return {
      status: 200,
      type: AGS_MEDIA_TYPES.lineItemContainer,
      body: slice.map((item) => this.lineItemJson(item)),
      link,
    };
  }

  createLineItem(courseId: string, contentType: string | undefined, raw: string): AgsAnswer {
    this.course(courseId);
    const body = this.readLineItemBody(contentType, raw);
    const id = String(this.nextId++);
    const item = lineItemFrom(
      { id, courseId, url: this.url(this.env.profile.paths.lineItem(courseId, id)) },
      body,
    );
    this.lineItems.set(id, item);
    return { status: 201, type: AGS_MEDIA_TYPES.lineItem, body: this.lineItemJson(item) };
  }

  getLineItem(courseId: string, itemId: string): AgsAnswer {
    return {
      status: 200,
      type: AGS_MEDIA_TYPES.lineItem,
      body: this.lineItemJson(this.item(courseId, itemId)),
    };
  }

  updateLineItem(courseId: string, itemId: string, contentType: string | undefined, raw: string): AgsAnswer {
    const item = this.item(courseId, itemId);
    const body = this.readLineItemBody(contentType, raw);
    // The link a line item belongs to stays (both LMSs ignore a changed resourceLinkId).
    const updated = lineItemFrom(item, { ...body, resourceLinkId: item.resourceLinkId });
    this.lineItems.set(item.id, updated);
    for (const score of this.scores.values())
      if (score.lineItemId === item.id) score.grade = this.gradeOf(score, updated);
    return { status: 200, type: AGS_MEDIA_TYPES.lineItem, body: this.lineItemJson(updated) };
  }

  deleteLineItem(courseId: string, itemId: string): AgsAnswer {
    const item = this.item(courseId, itemId);
    this.remove(item.id);
    return { status: 204 };
  }

  /** The column is deleted in the LMS itself (by id or by its URL). */
  deleteInLms(idOrUrl: string): void {
    const item = this.lineItems.get(idOrUrl) ?? [...this.lineItems.values()].find((i) => i.url === idOrUrl);
    if (!item) throw new Error(`LMS emulator: no line item ${idOrUrl}`);
    this.remove(item.id);
  }

  private remove(itemId: string): void {
    this.lineItems.delete(itemId);
    for (const [key, score] of this.scores) if (score.lineItemId === itemId) this.scores.delete(key);
  }

  /** A gradable person of the course named by a score's userId (Canvas also takes its own user id). */
  private student(courseId: string, userId: string): LmsUser | undefined {
    return this.students(courseId).find(
      (user) => this.env.subjectOf(user) === userId || (!this.moodle && user.id === userId),
    );
  }

  private students(courseId: string): LmsUser[] {
    return this.env.roster(courseId).filter((user) => user.roles.includes(ROLES.membershipLearner));
  }

  private gradeOf(
    score: Pick<AgsScore, 'scoreGiven' | 'scoreMaximum'>,
    item: AgsLineItem,
  ): number | undefined {
    if (score.scoreGiven === undefined) return undefined;
    if (score.scoreMaximum === 0 || score.scoreMaximum === item.scoreMaximum) return score.scoreGiven;
    return (score.scoreGiven * item.scoreMaximum) / score.scoreMaximum;
  }

  postScore(courseId: string, itemId: string, contentType: string | undefined, raw: string): AgsAnswer {
    const item = this.item(courseId, itemId);
    requireMediaType(this.env.profile.name, contentType, AGS_MEDIA_TYPES.score);
    const body = readScore(this.env.profile.name, parseJson(raw, 'score'));
    const user = this.student(courseId, body.userId);
    if (!user) {
      throw this.moodle
        ? new ServiceError(
            400,
            'invalid_request',
            `Incorrect score received: user ${body.userId} is not a student of course ${courseId}`,
          )
        : new ServiceError(
            422,
            'unprocessable_entity',
            `User ${body.userId} not found in course or is not a student`,
          );
    }
    if (body.scoreGiven !== undefined && body.scoreMaximum === undefined && !this.moodle) {
      throw new ServiceError(
        422,
        'unprocessable_entity',
        'ScoreMaximum not supplied when ScoreGiven present.',
      );
    }

    const key = `${item.id}|${user.id}`;
    const previous = this.scores.get(key);
    const at = Date.parse(body.timestamp);
    if (previous) {
      const before = Date.parse(previous.timestamp);
      if (this.moodle && Math.floor(before / 1000) >= Math.floor(at / 1000)) {
        throw new ServiceError(
          409,
          'conflict',
          `Refusing score with an earlier timestamp for item ${item.id} and user ${user.id}`,
        );
      }
      if (!this.moodle && before > at) {
        throw new ServiceError(
          400,
          'invalid_request',
          `Provided timestamp of ${body.timestamp} before last updated timestamp of ${new Date(before).toISOString()}`,
        );
      }
    }

    const keeps = this.moodle ? ['FullyGraded'] : ['FullyGraded', 'PendingManual'];
    const scoreGiven = keeps.includes(body.gradingProgress) ? body.scoreGiven : undefined;
    const next: AgsScore = {
      lineItemId: item.id,
      userId: user.id,
      ...(scoreGiven !== undefined ? { scoreGiven } : {}),
      scoreMaximum: body.scoreMaximum ?? 1,
      activityProgress: body.activityProgress,
      gradingProgress: body.gradingProgress,
      timestamp: body.timestamp,
      ...(body.comment !== undefined ? { comment: body.comment } : {}),
      updates: (previous?.updates ?? 0) + 1,
    };
    const grade = this.gradeOf(next, item);
    if (grade !== undefined) next.grade = grade;
    if (!previous || !sameScore(previous, next)) this.scores.set(key, next);

    const resultUrl = this.resultUrl(item, user);
    return this.moodle ? { status: 200 } : { status: 200, type: AGS_MEDIA_TYPES.score, body: { resultUrl } };
  }

  private resultUrl(item: AgsLineItem, user: LmsUser): string {
    if (this.moodle)
      return this.withQuery(this.env.profile.paths.lineItem(item.courseId, item.id, 'results'), {
        user_id: user.id,
      });
    // Canvas names a result by its own id; the emulator keeps one result per student and column.
    return `${this.url(this.env.profile.paths.lineItem(item.courseId, item.id, 'results'))}/${user.id}`;
  }

  results(courseId: string, itemId: string, query: unknown): AgsAnswer {
    const item = this.item(courseId, itemId);
    const parsed = resultFilterSchema.safeParse(query);
    if (!parsed.success)
      throw new ServiceError(400, 'invalid_request', 'limit, from and page must be whole numbers');
    const filter = parsed.data;
    const rows = this.students(courseId)
      .filter(
        (user) =>
          filter.user_id === undefined ||
          this.env.subjectOf(user) === filter.user_id ||
          (!this.moodle && user.id === filter.user_id),
      )
      .map((user) => ({ user, score: this.scores.get(`${item.id}|${user.id}`) }))
      .filter((row): row is { user: LmsUser; score: AgsScore } => row.score !== undefined);
    const { slice, link } = pageOf(this.env.profile.nrpsPaging, rows, filter, (params) =>
      this.withQuery(this.env.profile.paths.lineItem(courseId, item.id, 'results'), {
        user_id: filter.user_id,
        ...params,
      }),
    );
    const body = slice.map(({ user, score }) => ({
      id: this.resultUrl(item, user),
      scoreOf: item.url,
      userId: this.env.subjectOf(user),
      // Moodle reports the gradebook's (scaled) grade over the posted maximum; Canvas the posted pair.
      ...(this.moodle
        ? score.grade !== undefined
          ? { resultScore: score.grade, resultMaximum: score.scoreMaximum, timestamp: score.timestamp }
          : {}
        : { resultScore: score.scoreGiven ?? null, resultMaximum: score.scoreMaximum }),
      ...(score.comment ? { comment: score.comment } : {}),
    }));
    return { status: 200, type: AGS_MEDIA_TYPES.resultContainer, body, link };
  }

  gradebook(courseId: string): LmsGradebook {
    const course = this.course(courseId);
    const lineItems = [...this.lineItems.values()].filter((item) => item.courseId === courseId);
    const ids = new Set(lineItems.map((item) => item.id));
    return {
      course,
      lineItems: lineItems.map((item) => ({ ...item })),
      students: this.students(courseId),
      scores: [...this.scores.values()]
        .filter((score) => ids.has(score.lineItemId))
        .map((score) => ({ ...score })),
    };
  }
}

function sameScore(a: AgsScore, b: AgsScore): boolean {
  return (
    a.scoreGiven === b.scoreGiven &&
    a.scoreMaximum === b.scoreMaximum &&
    a.activityProgress === b.activityProgress &&
    a.gradingProgress === b.gradingProgress &&
    a.timestamp === b.timestamp &&
    a.comment === b.comment
  );
}
