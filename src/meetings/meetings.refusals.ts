import { AppError } from '../shared/errors';
import type { Translator } from '../shared/i18n';
import { ZoomApiError } from '../zoom';
import type { FieldErrors } from './meetings.schema';

/**
 * Zoom's refusal of a schedule or an edit, as the form shows it again (the presenter of refusals):
 * the typed values stay, the field Zoom named is marked with our label for it, and the lines say
 * what happened and what to do, in the viewer's language. Nothing was changed at Zoom or here.
 */
export interface Refusal {
  status: number;
  /** What happened, then what to do. */
  lines: string[];
  /** The error's id (and the request's), as the error page gives it for support (HTML). */
  reference: string;
  /** The form's field Zoom named (marked next to it), if it named one of ours. */
  errors: FieldErrors;
  /** For the log: Zoom's own words and code, and the field as Zoom named it. */
  log: {
    errorId: string;
    zoomCode: number | undefined;
    zoomMessage: string;
    zoomErrors: Array<{ field: string; message: string }>;
  };
}

/** Zoom's names for the body's fields (ZOOM-NOTES "Meetings") → the form's fields (`meetings.form.*`). */
const FORM_FIELDS: Array<[RegExp, string]> = [
  [/^topic$/, 'topic'],
  [/^start_time$/, 'startTime'],
  [/^duration$/, 'duration'],
  [/^timezone$/, 'timeZone'],
  [/^password$/, 'passcode'],
  [/^recurrence\.end_times$/, 'endAfter'],
  [/^recurrence\.end_date_time$/, 'endDate'],
  [/^recurrence\.weekly_days$/, 'on'],
  [/^(type|recurrence)(\.|$)/, 'repeats'],
  [/^settings\.waiting_room$/, 'waitingRoom'],
  [/^settings\.join_before_host$/, 'joinBeforeHost'],
  [/^settings\.auto_recording$/, 'autoRecord'],
  [/^settings\.alternative_hosts$/, 'alternativeHosts'],
];

/** Zoom's code for alternative hosts it does not accept (no `errors[]`: the code names the field). */
const ALTERNATIVE_HOSTS_CODES = new Set([1114, 1115]);

export function formFieldOf(zoomField: string): string | undefined {
  return FORM_FIELDS.find(([pattern]) => pattern.test(zoomField))?.[1];
}

/** The refusal to show in the form, or undefined for an error that is not Zoom refusing this change. */
export function refusalOf(error: unknown, translator: Translator, requestId = ''): Refusal | undefined {
  if (!(error instanceof AppError)) return undefined;
  const { t } = translator;
  // Ids are [a-z_] and request ids [A-Za-z0-9._-] (as on the error page): nothing needs escaping.
  const referenceOf = (status: number) =>
    t(requestId ? 'errors.reference' : 'errors.referenceNoRequest', {
      id: error.id,
      status,
      request: requestId,
    });
  const zoom = error.cause instanceof ZoomApiError ? error.cause : undefined;
  const log = {
    errorId: error.id,
    zoomCode: zoom?.code,
    zoomMessage: zoom?.zoomMessage ?? error.detail,
    zoomErrors: zoom?.fieldErrors ?? [],
  };
  const refusal = (status: number, key: string, params: Record<string, unknown> = {}, errors = {}) => ({
    status,
    lines: [t(`meetings.refusals.${key}.what`, params), t(`meetings.refusals.${key}.next`, params)],
    reference: referenceOf(status),
    errors,
    log,
  });
  switch (error.id) {
    case 'zoom_busy':
      return refusal(error.status, 'busy');
    case 'zoom_unavailable':
      return refusal(error.status, 'unavailable');
    case 'meeting_daily_limit':
      return refusal(error.status, 'dailyLimit', { reset: error.params?.reset ?? '' });
    case 'meeting_refused':
      break;
    default: {
      // Another answer of Zoom to this change (an account's daily limit…): the catalog's words.
      const key = `errors.${error.id}`;
      if (!zoom || !translator.has(`${key}.title`)) return undefined;
      const params = error.params ?? {};
      const what = `${t(`${key}.title`, params)}: ${t(`${key}.detail`, params)}`;
      return {
        status: error.status,
        lines: [what, t(`${key}.next`, params)],
        reference: referenceOf(error.status),
        errors: {},
        log,
      };
    }
  }
  if (zoom?.kind === 'not_found') return refusal(404, 'notFound');
  const message = zoom?.zoomMessage ?? '';
  const named = zoom?.fieldErrors
    .map((e) => ({ field: formFieldOf(e.field), message: e.message }))
    .find((e) => e.field !== undefined);
  const field =
    named?.field ??
    (zoom?.code !== undefined && ALTERNATIVE_HOSTS_CODES.has(zoom.code) ? 'alternativeHosts' : undefined);
  if (!field) return refusal(error.status, 'invalid', { message });
  const label = t(`meetings.form.${field}`);
  return refusal(
    error.status,
    'field',
    { label, message: named?.message ?? message },
    { [field]: { key: 'zoom_refused_field', values: { label } } },
  );
}
