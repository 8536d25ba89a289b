/** One registration as the frame policy reads it. */
export interface FrameSource {
  schoolId: string;
  issuer: string;
  clientId: string;
  loginUrl: string;
  /** Origins the registration was made from (its LMS's admin pages, e.g. the configuration's origin). */
  frameOrigins: string[];
}

/** Who a request speaks for: the LMS's issuer and, when known, the registration's client id. */
export interface LaunchHint {
  issuer: string;
  clientId?: string;
}

/**
 * Which LMS origins may frame a page (CSP `frame-ancestors`) and receive its forms (`form-action`):
 * those of the school the request's launch belongs to, never another school's. A school's origins
 * are every registration's issuer, login and registration origins. An issuer with no client id
 * names the schools that issuer is registered for (one, unless the operator registered a shared
 * issuer, such as Canvas Cloud's, for several).
 */
export class FrameAncestors {
  private readonly schoolOfRegistration = new Map<string, string>();
  private readonly schoolsOfIssuer = new Map<string, Set<string>>();
  private readonly originsOfSchool = new Map<string, Set<string>>();

  constructor(sources: readonly FrameSource[]) {
    for (const source of sources) {
      this.schoolOfRegistration.set(registrationKey(source.issuer, source.clientId), source.schoolId);
      const schools = this.schoolsOfIssuer.get(source.issuer) ?? new Set<string>();
      schools.add(source.schoolId);
      this.schoolsOfIssuer.set(source.issuer, schools);
      const origins = this.originsOfSchool.get(source.schoolId) ?? new Set<string>();
      for (const url of [source.issuer, source.loginUrl, ...source.frameOrigins]) {
        const origin = originOf(url);
        if (origin) origins.add(origin);
      }
      this.originsOfSchool.set(source.schoolId, origins);
    }
  }

  /** The origins for a request that speaks for `hint`'s LMS (none when it is not registered). */
  forLaunch(hint: LaunchHint): string[] {
    const registered =
      hint.clientId === undefined
        ? undefined
        : this.schoolOfRegistration.get(registrationKey(hint.issuer, hint.clientId));
    const schools = registered ? [registered] : [...(this.schoolsOfIssuer.get(hint.issuer) ?? [])];
    const origins = new Set<string>();
    for (const school of schools)
      for (const origin of this.originsOfSchool.get(school) ?? []) origins.add(origin);
    return [...origins].sort();
  }
}

function registrationKey(issuer: string, clientId: string): string {
  return `${issuer}\n${clientId}`;
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
