import cldrTimeZones from 'cldr-bcp47/bcp47/timezone.json';
import { IANAZone } from 'luxon';

/**
 * The form's "Time zone" list: one entry per zone, by the tz database's current name, with its
 * offset now and a readable name in the viewer's language ("UTC+05:30 · Kolkata, India · India
 * Standard Time"), sorted by offset, then name.
 *
 * Names: the runtime (ICU) lists zones by CLDR's canonical names, which keep old spellings the tz
 * database has since renamed (`Asia/Calcutta` for `Asia/Kolkata`, `America/Godthab` for
 * `America/Nuuk`, `Europe/Kiev` for `Europe/Kyiv`), and it takes every other alias (`US/Eastern`,
 * `Etc/UTC`). CLDR's own time zone data (the `cldr-bcp47` package, Unicode's) lists each zone's
 * aliases and, where they differ, the tz database's name (`iana`): that maps any name the runtime
 * knows to the one shown. A name the data does not know (newer than it) keeps its own.
 */

interface CldrZone {
  _alias?: string;
  _iana?: string;
  _region?: string;
  _deprecated?: boolean;
}

export interface ZoneOption {
  /** The tz database's name, the value posted. */
  id: string;
  /** "UTC+05:30", "UTC−05:00" (with a minus sign). */
  offset: string;
  offsetMinutes: number;
  /** "UTC+05:30 · Kolkata, India · India Standard Time" */
  label: string;
  selected: boolean;
}

/** Any name of a zone → the tz database's current name of it; and that name → the zone's country. */
const { PREFERRED, REGION } = (() => {
  const preferred = new Map<string, string>();
  const region = new Map<string, string>();
  const entries = Object.entries(cldrTimeZones.keyword.u.tz as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (key.startsWith('_') || typeof value !== 'object' || value === null) continue;
    const zone = value as CldrZone;
    if (zone._deprecated || !zone._alias) continue;
    const aliases = zone._alias.split(' ');
    const name = key === 'utc' ? 'UTC' : (zone._iana ?? aliases[0]!);
    for (const alias of aliases) preferred.set(alias, name);
    // The key starts with the zone's region (ISO 3166), except the few that name it apart.
    const code = zone._region ?? (/^[a-z]{5,}$/.test(key) && !key.startsWith('utc') ? key.slice(0, 2) : '');
    if (code) region.set(name, code.toUpperCase());
  }
  return {
    PREFERRED: preferred as ReadonlyMap<string, string>,
    REGION: region as ReadonlyMap<string, string>,
  };
})();

/** The runtime's name of a zone (`US/Eastern` → `America/New_York`), or undefined when it knows none. */
export function runtimeName(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The name the form shows and stores for a zone: `Asia/Calcutta` → `Asia/Kolkata`, `US/Eastern` →
 * `America/New_York`, `Etc/UTC` → `UTC`. A name the runtime does not know is returned as it is.
 */
export function canonicalZone(zone: string): string {
  const direct = PREFERRED.get(zone);
  if (direct) return direct;
  const resolved = runtimeName(zone);
  if (!resolved) return zone;
  return PREFERRED.get(resolved) ?? resolved;
}

/** Every zone the runtime knows, once each, by the tz database's name, plus UTC. */
const CANONICAL: readonly string[] = [
  ...new Set(['UTC', ...Intl.supportedValuesOf('timeZone').map(canonicalZone)]),
].filter((zone) => zone === 'UTC' || IANAZone.isValidZone(zone));

/** The canonical zones (no alias, no `Etc/…` but UTC). */
export function canonicalZones(): readonly string[] {
  return CANONICAL;
}

/** "UTC+05:30", "UTC−05:00", "UTC+00:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '\u2212' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "Kolkata", "Knox (Indiana)", "Buenos Aires": the place in a zone's name. */
function cityOf(zone: string): string {
  const parts = zone.split('/').map((part) => part.replace(/_/g, ' '));
  const city = parts[parts.length - 1] ?? zone;
  if (parts.length === 3 && parts[1] !== 'Argentina') return `${city} (${parts[1]})`;
  return city;
}

/** The zone's generic name now ("Eastern Time"; a zone's name may change, as Kyiv's did in 1990). */
function zoneName(zone: string, locale: string, now: number): string {
  try {
    const parts = new Intl.DateTimeFormat(locale, {
      timeZone: zone,
      timeZoneName: zone === 'UTC' ? 'long' : 'longGeneric',
    }).formatToParts(new Date(now));
    const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
    return name.startsWith('GMT') ? '' : name;
  } catch {
    return '';
  }
}

interface Described {
  id: string;
  /** "Kolkata, India · India Standard Time" */
  description: string;
}

/** "Kolkata, India · India Standard Time" (the place, its country, the zone's name now). */
function description(
  id: string,
  locale: string,
  now: number,
  regions: Intl.DisplayNames | undefined,
): string {
  const name = zoneName(id, locale, now);
  if (id === 'UTC') return name ? `${name} (UTC)` : 'UTC';
  const code = REGION.get(id);
  const country = code ? regions?.of(code) : undefined;
  const city = cityOf(id);
  const place = country && country !== code && country !== city ? `${city}, ${country}` : city;
  return name ? `${place} · ${name}` : place;
}

/**
 * One zone as people read it, with its offset now: "Kolkata, India · India Standard Time
 * (UTC+05:30)" (the course page's "Times are shown in …").
 */
export function zoneLabel(zone: string, locale: string, now: number): string {
  const id = canonicalZone(zone);
  if (id !== 'UTC' && !IANAZone.isValidZone(id)) return zone;
  let regions: Intl.DisplayNames | undefined;
  try {
    regions = new Intl.DisplayNames(locale, { type: 'region' });
  } catch {
    regions = undefined;
  }
  const offset = formatOffset(id === 'UTC' ? 0 : IANAZone.create(id).offset(now));
  return id === 'UTC'
    ? description(id, locale, now, regions)
    : `${description(id, locale, now, regions)} (${offset})`;
}

/** The readable names of every zone in a locale (computing them takes ~0.5 s: once a day per locale). */
const described = new Map<string, { day: number; list: readonly Described[] }>();

function describe(locale: string, now: number): readonly Described[] {
  const day = Math.floor(now / 86_400_000);
  const known = described.get(locale);
  if (known?.day === day) return known.list;
  let regions: Intl.DisplayNames | undefined;
  try {
    regions = new Intl.DisplayNames(locale, { type: 'region' });
  } catch {
    regions = undefined;
  }
  const list = CANONICAL.map((id) => ({ id, description: description(id, locale, now, regions) }));
  if (described.size > 20) described.clear();
  described.set(locale, { day, list });
  return list;
}

/** The sorted options of one locale at one hour (offsets change on the hour, with DST). */
const sorted = new Map<string, { hour: number; options: Array<Omit<ZoneOption, 'selected'>> }>();

/**
 * The form's zone options in a locale, with each zone's offset at `now`; `selected` marks the zone
 * given (by any of its names). A zone outside the list (a meeting's `Etc/GMT+5`) is added, so an
 * edit shows it as it is.
 */
export function zoneOptions(input: { locale: string; now: number; selected?: string }): ZoneOption[] {
  const hour = Math.floor(input.now / 3_600_000);
  let cached = sorted.get(input.locale);
  if (!cached || cached.hour !== hour) {
    const collator = new Intl.Collator(input.locale);
    const options = describe(input.locale, input.now).map(({ id, description }) =>
      option(id, description, input.now),
    );
    options.sort((a, b) => a.offsetMinutes - b.offsetMinutes || collator.compare(a.label, b.label));
    cached = { hour, options };
    if (sorted.size > 20) sorted.clear();
    sorted.set(input.locale, cached);
  }
  const selected = input.selected ? canonicalZone(input.selected) : undefined;
  const options = cached.options.map((o) => ({ ...o, selected: o.id === selected }));
  if (selected && !options.some((o) => o.selected) && IANAZone.isValidZone(selected)) {
    options.unshift({ ...option(selected, selected, input.now), selected: true });
  }
  return options;
}

function option(id: string, description: string, now: number): Omit<ZoneOption, 'selected'> {
  const offsetMinutes = id === 'UTC' ? 0 : IANAZone.create(id).offset(now);
  const offset = formatOffset(offsetMinutes);
  return { id, offset, offsetMinutes, label: `${offset} · ${description}` };
}
