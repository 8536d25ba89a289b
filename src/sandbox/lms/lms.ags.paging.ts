import type { z } from 'zod';
import type { pagingSchema } from './lms.ags.schema';

/**
 * One page of a list and its Link header, as each LMS pages AGS lists: Moodle by offset (`limit`,
 * `from`) with first, prev, canonical, next and last links whose rel values are in typographic
 * quotes (lineitems.php writes rel=“next”); Canvas by page number (`limit`, `page`) with current,
 * next, prev, first and last, in plain quotes.
 */
export function pageOf<T>(
  mode: 'from' | 'page',
  items: T[],
  query: z.infer<typeof pagingSchema>,
  pageUrl: (params: Record<string, string>) => string,
): { slice: T[]; link?: string } {
  const { limit } = query;
  if (!limit) return { slice: items };
  const byOffset = mode === 'from';
  const offset = byOffset ? (query.from ?? 0) : ((query.page ?? 1) - 1) * limit;
  const slice = items.slice(offset, offset + limit);
  const hasNext = offset + limit < items.length;
  const at = (n: number) =>
    pageUrl(
      byOffset
        ? { limit: String(limit), from: String(n) }
        : { limit: String(limit), page: String(n / limit + 1) },
    );
  const lastOffset = Math.max(0, Math.floor((Math.max(items.length, 1) - 1) / limit) * limit);
  const links: [string, string][] = [];
  if (byOffset) {
    links.push([at(0), 'first']);
    if (offset > 0) links.push([at(Math.max(0, offset - limit)), 'prev']);
    links.push([at(offset), 'canonical']);
    if (hasNext) links.push([at(offset + limit), 'next']);
    links.push([at(lastOffset), 'last']);
    const header = links.map(([href, rel]) => `<${href}>; rel=“${rel}”`).join(', ');
    // Moodle sends the quotes' UTF-8 bytes; HTTP headers are bytes, which clients read as latin1.
    return { slice, link: Buffer.from(header, 'utf8').toString('latin1') };
  }
  links.push([at(offset), 'current']);
  if (hasNext) links.push([at(offset + limit), 'next']);
  if (offset > 0) links.push([at(Math.max(0, offset - limit)), 'prev']);
  links.push([at(0), 'first'], [at(lastOffset), 'last']);
  return { slice, link: links.map(([href, rel]) => `<${href}>; rel="${rel}"`).join(',') };
}
