import type { Translator } from '../shared/i18n';
import type { CheckStatus, Verdict } from './zoom.selfcheck.verdicts';

/** One result as the page shows it: name, status in words, what was found, what to do. */
export interface SelfCheckItem {
  id: string;
  name: string;
  status: CheckStatus;
  statusText: string;
  detail: string;
  fix: string | undefined;
}

export interface SelfCheckModel {
  items: SelfCheckItem[];
  summary: string;
  ranAt: string;
  /** Worst status first: 'fail' when any failed, else 'warn', else 'pass'. */
  overall: 'pass' | 'warn' | 'fail';
}

/** The verdicts in the translator's language (catalog `admin.selfCheck`). */
export function selfCheckModel(
  verdicts: Verdict[],
  translator: Translator,
  ranAt: Date,
  timeZone?: string,
): SelfCheckModel {
  const { t } = translator;
  const items = verdicts.map((verdict): SelfCheckItem => {
    const params: Record<string, unknown> = { ...verdict.params };
    if (typeof verdict.params?.launch === 'string')
      params.launchText = t(`admin.selfCheck.launch.${verdict.params.launch}`);
    return {
      id: verdict.id,
      name: t(`admin.selfCheck.names.${verdict.id}`),
      status: verdict.status,
      statusText: t(`admin.selfCheck.statuses.${verdict.status}`),
      detail: t(`admin.selfCheck.says.${verdict.says}`, params),
      fix: verdict.fix ? t(`admin.selfCheck.fixes.${verdict.fix}`, params) : undefined,
    };
  });
  const count = (status: CheckStatus) => verdicts.filter((v) => v.status === status).length;
  const overall = count('fail') > 0 ? 'fail' : count('warn') > 0 ? 'warn' : 'pass';
  return {
    items,
    overall,
    summary: t(`admin.selfCheck.summary.${overall}`, {
      counts: (['fail', 'warn', 'pass', 'skipped'] as const)
        .filter((status) => count(status) > 0)
        .map((status) => t(`admin.selfCheck.counts.${status}`, { count: count(status) }))
        .join(', '),
    }),
    ranAt: formatTime(ranAt, translator, timeZone),
  };
}

/** A moment in the viewer's language (and the school's time zone when known). */
export function formatTime(at: Date, translator: Translator, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'long' };
  try {
    return new Intl.DateTimeFormat(translator.locale, { ...options, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat(translator.locale, { ...options, timeZone: 'UTC' }).format(at);
  }
}
