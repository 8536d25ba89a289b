/**
 * The two response headers the AGS client reads, as LMSs really send them.
 * - `Link`: RFC 8288 links; Moodle writes its rel values in typographic quotes (rel=“next”) as
 *   UTF-8 bytes, which an HTTP client reads as latin1 (â\x80\x9c): both spellings, plain quotes and
 *   no quotes are taken. A relative target is read against the request's URL.
 * - `Retry-After`: whole seconds or an HTTP date (RFC 9110 10.2.3); anything else is no advice.
 */

/** Undoes latin1 decoding of UTF-8 bytes (a header's “ read as â\x80\x9c); other text is kept. */
function asUtf8(header: string): string {
  const codes = [...header].map((char) => char.charCodeAt(0));
  if (!codes.some((code) => code >= 0x80) || codes.some((code) => code > 0xff)) return header;
  const decoded = Buffer.from(header, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? header : decoded;
}

const QUOTES = '"“”„';

/** The target of the link whose rel includes `rel` (e.g. 'next'), or undefined. */
export function linkWithRel(
  header: string | null | undefined,
  rel: string,
  base?: string,
): string | undefined {
  if (!header) return undefined;
  const text = asUtf8(header);
  for (const match of text.matchAll(/<([^>]*)>([^<]*)/g)) {
    const [, target = '', params = ''] = match;
    const relParam = new RegExp(`(?:^|;)\\s*rel\\s*=\\s*[${QUOTES}]?([^${QUOTES};,]*)[${QUOTES}]?`, 'i').exec(
      params,
    );
    const rels = (relParam?.[1] ?? '').trim().toLowerCase().split(/\s+/);
    if (!rels.includes(rel.toLowerCase())) continue;
    try {
      return new URL(target.trim(), base).toString();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** How long `Retry-After` asks to wait, in milliseconds (0 for a date past), or undefined. */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
