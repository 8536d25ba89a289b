import { canvasContextId } from './lms.claims';
import type { LmsProfile } from './lms.profiles';
import type { LaunchOptions, LmsCourse, LmsUser, LmsUsers } from './lms.types';

/**
 * The emulator's people and courses: the profile's seeded users (rehomed to the LMS's own email
 * domain), users added by tests and who has been unenrolled, the roster launches and services see,
 * and the courses known so far (made on first use, Canvas's context ids derived from the issuer).
 */
export class CourseDirectory {
  readonly users: LmsUsers;
  private readonly usernames = new Map<string, string>();
  private readonly extraUsers = new Map<string, LmsUser>();
  private readonly unenrolled = new Set<string>();
  private readonly courses = new Map<string, LmsCourse>();
  private readonly resourceLinks = new Map<string, string>();

  constructor(
    private readonly profile: LmsProfile,
    private readonly options: { emailDomain?: string; issuer?: string },
  ) {
    const seeds = profile.users;
    // The sandbox runs two LMSs beside each other, each with its own Zoom account: their people get
    // their own email domain (a Zoom email belongs to one account only).
    const domain = options.emailDomain;
    const rehome = (text: string) => (domain ? text.replace(/@school\.example\.edu$/, `@${domain}`) : text);
    const toUser = ({ username, ...user }: (typeof seeds)['admin']): LmsUser => {
      this.usernames.set(user.id, rehome(username));
      return {
        ...user,
        name: rehome(user.name),
        givenName: rehome(user.givenName),
        ...(user.email ? { email: rehome(user.email) } : {}),
        roles: [...user.roles],
      };
    };
    this.users = {
      instructor: toUser(seeds.instructor),
      learner: toUser(seeds.learner),
      admin: toUser(seeds.admin),
      ta: toUser(seeds.ta),
    };
  }

  /** The seeded user's LMS username (undefined for added users). */
  usernameOf(userId: string): string | undefined {
    return this.usernames.get(userId);
  }

  addUser(user: LmsUser): void {
    this.extraUsers.set(user.id, { ...user, roles: [...user.roles] });
    this.unenrolled.delete(user.id);
  }

  unenrollUser(userId: string): void {
    if (!this.findUser(userId)) throw new Error(`LMS emulator: unknown user ${userId}`);
    this.unenrolled.add(userId);
  }

  findUser(userId: string): LmsUser | undefined {
    return this.extraUsers.get(userId) ?? Object.values(this.users).find((user) => user.id === userId);
  }

  /** Everyone enrolled: the profile's enrolled users (not the site admin) plus added users. */
  roster(): LmsUser[] {
    const enrolled = this.profile.enrolled.map((name) => this.users[name]);
    return [...enrolled.filter((user) => !this.extraUsers.has(user.id)), ...this.extraUsers.values()].filter(
      (user) => !this.unenrolled.has(user.id),
    );
  }

  findCourse(courseId: string): LmsCourse | undefined {
    return this.courses.get(courseId);
  }

  courseIds(): string[] {
    return [...this.courses.keys()];
  }

  courseFor(courseId: string): LmsCourse {
    let course = this.courses.get(courseId);
    if (!course) {
      const seed = this.profile.course;
      const isDefault = courseId === seed.id;
      const issuer = this.options.issuer ?? this.profile.defaultIssuer('');
      course = {
        id: courseId,
        label: isDefault ? seed.label : `COURSE-${courseId}`,
        title: isDefault ? seed.title : `Course ${courseId}`,
        contextId: this.profile.name === 'canvas' ? canvasContextId(issuer, courseId) : courseId,
      };
      this.courses.set(courseId, course);
    }
    return course;
  }

  /** The course's resource link, made on first launch (Moodle numbers them; Canvas makes an id). */
  resourceLinkFor(courseId: string): string {
    let resourceLinkId = this.resourceLinks.get(courseId);
    if (!resourceLinkId) {
      resourceLinkId =
        this.profile.name === 'moodle'
          ? String(this.resourceLinks.size + 1)
          : this.profile.defaultResourceLinkId();
      this.resourceLinks.set(courseId, resourceLinkId);
    }
    return resourceLinkId;
  }
}

/** The LMS's course page for a user, with the launch options it passes to the tool. */
export function coursePagePath(courseId: string, userId: string, options: LaunchOptions): string {
  const query = new URLSearchParams({ user: userId });
  if (options.messageType) query.set('messageType', options.messageType);
  if (options.resourceLinkId) query.set('resourceLinkId', options.resourceLinkId);
  if (options.targetLinkUri) query.set('targetLinkUri', options.targetLinkUri);
  if (options.deploymentId) query.set('deploymentId', options.deploymentId);
  if (options.locale) query.set('locale', options.locale);
  return `/course/${encodeURIComponent(courseId)}?${query.toString()}`;
}
