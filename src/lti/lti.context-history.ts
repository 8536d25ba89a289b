/**
 * Next term: which earlier courses this course was copied from, as the LMS says through the custom
 * parameters the tool registers (lti.canvas-config.ts, lti.registration.ts). Both LMSs substitute
 * `$Context.id.history` (the earlier context ids, most recent first, comma-separated; Moodle from
 * its restored course's `originalcourseid` chain, Canvas from its course copies); Canvas also
 * `$Canvas.course.previousContextIds.recursive`. A variable the LMS does not know arrives as its
 * own literal text (`$Context.id.history`), which names no course.
 */
export const CONTEXT_HISTORY_FIELD = 'context_id_history';
export const CANVAS_PREVIOUS_CONTEXTS_FIELD = 'canvas_previous_context_ids';

/** The custom parameters asked of every LMS. */
export const CONTEXT_HISTORY_CUSTOM = { [CONTEXT_HISTORY_FIELD]: '$Context.id.history' } as const;

/** … and of Canvas besides (it knows its own copy variables). */
export const CANVAS_HISTORY_CUSTOM = {
  ...CONTEXT_HISTORY_CUSTOM,
  [CANVAS_PREVIOUS_CONTEXTS_FIELD]: '$Canvas.course.previousContextIds.recursive',
} as const;

/** An LTI context id is at most 255 characters; Canvas caps its history at 1000 ids. */
const MAX_ID_LENGTH = 255;
const MAX_IDS = 1000;

function idsOf(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '' && !id.startsWith('$') && id.length <= MAX_ID_LENGTH);
}

/**
 * The earlier context ids of the launch's course, most recent first, without repeats or the course
 * itself: `$Context.id.history`'s, then any Canvas's copy variable adds. Empty when the LMS said
 * nothing (or sent the variables unsubstituted).
 */
export function contextHistory(custom: Record<string, string>, currentContextId?: string): string[] {
  const ids = [...idsOf(custom[CONTEXT_HISTORY_FIELD]), ...idsOf(custom[CANVAS_PREVIOUS_CONTEXTS_FIELD])];
  const seen = new Set<string>(currentContextId === undefined ? [] : [currentContextId]);
  const history: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    history.push(id);
    if (history.length >= MAX_IDS) break;
  }
  return history;
}
