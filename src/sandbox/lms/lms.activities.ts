import crypto from 'node:crypto';
import type { LmsProfile } from './lms.profiles';
import { resourceLinkItemSchema } from './lms.schema';
import type { LmsActivity } from './lms.types';

/** What the course page shows once, after the content picker closed (Moodle's notification stack). */
export interface CourseNotice {
  title: string;
  lines: string[];
  /** The activities just created, to open them. */
  activities: LmsActivity[];
}

/** The title Moodle and Canvas give a link whose item has none: the tool's name. */
const UNTITLED = 'Zoom class meetings';

/**
 * The links the LMS created from content items, and the notice each person sees next on the course
 * page. Moodle: "Select content" fills the External tool activity from the item (title, text,
 * `custom` as its custom parameters) and an empty answer (Cancel) closes the dialogue creating
 * nothing, without the tool's message; Canvas creates a module item per link and shows the tool's
 * `msg` either way.
 */
export class CourseActivities {
  private readonly list: LmsActivity[] = [];
  private readonly notices = new Map<string, CourseNotice>();

  constructor(private readonly profile: LmsProfile) {}

  get all(): readonly LmsActivity[] {
    return this.list;
  }

  inCourse(courseId: string): LmsActivity[] {
    return this.list.filter((activity) => activity.courseId === courseId);
  }

  find(courseId: string, resourceLinkId: string): LmsActivity | undefined {
    return this.list.find((a) => a.courseId === courseId && a.resourceLinkId === resourceLinkId);
  }

  /** Creates a link per `ltiResourceLink` item (others are skipped) and the notice for who picked them. */
  place(
    courseId: string,
    userId: string,
    items: unknown[],
    message: string | undefined,
  ): { activities: LmsActivity[]; notice: CourseNotice } {
    const created: LmsActivity[] = [];
    for (const raw of items) {
      const item = resourceLinkItemSchema.safeParse(raw);
      if (!item.success) continue;
      const activity: LmsActivity = {
        courseId,
        resourceLinkId: this.newResourceLinkId(),
        title: item.data.title?.trim() || UNTITLED,
        text: item.data.text ?? '',
        custom: { ...item.data.custom },
      };
      this.list.push(activity);
      created.push(activity);
    }
    const showsMessage = created.length > 0 || this.profile.name === 'canvas';
    const notice: CourseNotice = {
      title: created.length ? 'Content added to the course' : 'Nothing was added to the course',
      lines: [
        ...(showsMessage && message ? [message] : []),
        ...created.map((activity) => `Added: ${activity.title}`),
      ],
      activities: created,
    };
    this.notices.set(userId, notice);
    return { activities: created, notice };
  }

  /** The person's pending notice, once. */
  takeNotice(userId: string): CourseNotice | undefined {
    const notice = this.notices.get(userId);
    this.notices.delete(userId);
    return notice;
  }

  /** Moodle: the course module id (a number, past the course links' ids); Canvas: an opaque uuid. */
  private newResourceLinkId(): string {
    return this.profile.name === 'moodle' ? String(100 + this.list.length + 1) : crypto.randomUUID();
  }
}
