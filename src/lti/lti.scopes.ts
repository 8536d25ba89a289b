/**
 * The LTI Advantage services this tool asks an LMS for, by scope, in dynamic registration and in
 * the Canvas JSON configuration. An LMS may grant fewer (Moodle grants the subset its admin allows;
 * a school may leave grades off): registration still succeeds, and the tool does only what was
 * granted. What a course really allows comes with each launch (the AGS endpoint claim's `scope[]`).
 *
 * - Names and Roles: the course's members (alternative hosts today, the attendance roster next).
 * - `lineitem`: the tool makes and updates its own gradebook columns (Moodle maps it to "Use this
 *   service for grade sync and column management").
 * - `lineitem.readonly`, `result.readonly`, `score`: what Moodle's "grade synchronization only"
 *   grants: the tool finds a link's own column, reads what it holds and posts scores to it. Asked
 *   for by name because Canvas gives a token only the scopes its developer key lists.
 */
export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

/** Every scope the tool asks for, in the order it posts them. */
export const TOOL_SCOPES: readonly string[] = [NRPS_SCOPE, ...Object.values(AGS_SCOPES)];

/** What an LMS's granted scopes let the tool do. */
export interface GrantedServices {
  namesAndRoles: boolean;
  /** `columns`: its own line items and scores; `scores`: scores to a link's own column; `none`: no grades. */
  grades: 'columns' | 'scores' | 'none';
}

/** Reads a space-separated `scope` as an LMS grants it (unknown scopes are ignored). */
export function grantedServices(scope: string): GrantedServices {
  const granted = new Set(scope.split(/\s+/).filter(Boolean));
  const grades = granted.has(AGS_SCOPES.score)
    ? granted.has(AGS_SCOPES.lineItem)
      ? 'columns'
      : 'scores'
    : 'none';
  return { namesAndRoles: granted.has(NRPS_SCOPE), grades };
}
