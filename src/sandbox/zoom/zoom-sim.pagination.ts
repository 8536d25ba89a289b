import crypto from 'node:crypto';
import type { SimContext } from './zoom-sim.context';
import { zoomErrors } from './zoom-sim.errors';

/**
 * `page_size` (default 30, at most 300) and `next_page_token` pagination. A token belongs to the
 * query that produced it and expires after 15 minutes of simulated time; the last page answers an
 * empty token.
 */
export interface Page<T> {
  items: T[];
  page_size: number;
  total_records: number;
  next_page_token: string;
}

export function pageSizeOf(raw: unknown, max = 300): number {
  if (raw === undefined || raw === '') return 30;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw zoomErrors.validation([{ field: 'page_size', message: 'Invalid field.' }]);
  return Math.min(n, max);
}

export function paginate<T>(
  ctx: SimContext,
  key: string,
  all: T[],
  pageSizeRaw: unknown,
  tokenRaw: unknown,
): Page<T> {
  const pageSize = pageSizeOf(pageSizeRaw);
  let offset = 0;
  if (typeof tokenRaw === 'string' && tokenRaw !== '') {
    const saved = ctx.state.pageTokens.get(tokenRaw);
    if (!saved || saved.key !== key || ctx.clock.now() >= saved.expires_at)
      throw zoomErrors.invalidPageToken();
    offset = saved.offset;
  }
  const items = all.slice(offset, offset + pageSize);
  let next = '';
  if (offset + pageSize < all.length) {
    next = crypto.randomBytes(24).toString('base64url');
    ctx.state.pageTokens.set(next, {
      key,
      offset: offset + pageSize,
      expires_at: ctx.clock.now() + ctx.options.api.pageTokenSeconds * 1000,
    });
  }
  return { items, page_size: pageSize, total_records: all.length, next_page_token: next };
}
