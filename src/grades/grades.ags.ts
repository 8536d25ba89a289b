import type { z } from 'zod';
import { AGS_SCOPES, type ServiceRegistration, type ServiceToken } from '../lti';
import { errors } from '../shared/errors';
import { linkWithRel } from './grades.headers';
import { DEFAULT_RETRY, send, type AgsKind, type AgsTransport, type RetryOptions } from './grades.http';
import {
  AGS_MEDIA_TYPES,
  lineItemContainerSchema,
  lineItemInputSchema,
  lineItemSchema,
  resultContainerSchema,
  scoreSchema,
  type LineItem,
  type LineItemInput,
  type Result,
  type Score,
} from './grades.schema';
import type { LmsUrlPolicy } from './grades.urls';

/**
 * The tool's client of LTI Assignment and Grade Services for one registration: line items (found
 * by `resourceId` and `tag` before one is made, so none is made twice), scores and results, in
 * Moodle's and Canvas's dialects (docs/architecture.md, "The LMS emulator's grades (AGS)"). What
 * its requests retry and what each refusal means: `grades.http.ts`.
 */
export interface AgsClientOptions {
  registration: ServiceRegistration;
  /** The LTI facade's `serviceToken` (cached per registration and scopes). */
  serviceToken(
    registration: ServiceRegistration,
    scopes: readonly string[],
    options?: { renew?: boolean },
  ): Promise<ServiceToken>;
  /** The AGS scopes the launch's claim granted (default: all four the tool asks for). */
  scopes?: readonly string[];
  urls: LmsUrlPolicy;
  retry?: Partial<RetryOptions>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** At most this many pages of a list are read (default 50). */
  maxPages?: number;
}

export interface LineItemFilter {
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  /** Items per page asked of the LMS (its default when absent). */
  limit?: number;
}

const ALL_AGS = Object.values(AGS_SCOPES);
const READ_ITEMS = [AGS_SCOPES.lineItem, AGS_SCOPES.lineItemReadonly];
const WRITE_ITEMS = [AGS_SCOPES.lineItem];

/** `…/lineitems/7/lineitem?type_id=1` → `…/lineitems/7/lineitem/scores?type_id=1` (before the query). */
function beside(lineItemUrl: string, leaf: 'scores' | 'results'): URL {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/${leaf}`;
  return url;
}

function parsed<S extends z.ZodType>(schema: S, text: string, what: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.badRequest(`The LMS answered ${what} that is not JSON.`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw errors.badRequest(`The LMS answered ${what} the tool cannot read.`);
  return result.data;
}

/** What the caller gave, checked: a bad line item or score is refused before anything is sent. */
function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || what} ${issue.message}`);
  throw errors.badRequest(`The ${what} to send to the LMS is not valid: ${issues.join('; ')}.`);
}

export class AgsClient {
  private readonly transport: AgsTransport;
  private readonly maxPages: number;
  private readonly finding = new Map<string, Promise<{ lineItem: LineItem; created: boolean }>>();

  constructor(options: AgsClientOptions) {
    this.transport = {
      registration: options.registration,
      serviceToken: options.serviceToken,
      scopes: (options.scopes ?? ALL_AGS).filter((scope) => ALL_AGS.includes(scope as never)),
      urls: options.urls,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      fetch: options.fetch ?? fetch,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    this.maxPages = options.maxPages ?? 50;
  }

  /** Every page of a list, following `Link: rel="next"` (either quotes) within the first page's origin. */
  private async pages<T>(
    first: URL,
    kind: AgsKind,
    accept: string,
    needs: readonly string[],
    read: (text: string) => T[],
  ) {
    const items: T[] = [];
    let next: string | undefined = first.toString();
    for (let page = 0; next !== undefined; page += 1) {
      if (page >= this.maxPages)
        throw errors.badRequest(
          `The LMS's list has more than ${this.maxPages} pages; the tool read none of it.`,
        );
      const answer = await send(this.transport, {
        method: 'GET',
        url: next,
        kind,
        accept,
        needs,
        repeatable: true,
      });
      items.push(...read(answer.text));
      next = linkWithRel(answer.headers.get('link'), 'next', next);
      if (next !== undefined && new URL(next).origin !== first.origin)
        throw errors.badRequest('The LMS’s next page is on another host; the tool does not follow it.');
    }
    return items;
  }

  /** The line items of a container (the launch's `lineitems` URL) that match every filter given. */
  async listLineItems(containerUrl: string, filter: LineItemFilter = {}): Promise<LineItem[]> {
    const url = new URL(containerUrl);
    if (filter.resourceLinkId) url.searchParams.set('resource_link_id', filter.resourceLinkId);
    if (filter.resourceId) url.searchParams.set('resource_id', filter.resourceId);
    if (filter.tag) url.searchParams.set('tag', filter.tag);
    if (filter.limit) url.searchParams.set('limit', String(filter.limit));
    const items = await this.pages(url, 'container', AGS_MEDIA_TYPES.lineItemContainer, READ_ITEMS, (text) =>
      parsed(lineItemContainerSchema, text, 'a line item list'),
    );
    // An LMS that ignores a filter still gets only what was asked for.
    return items.filter(
      (item) =>
        (!filter.resourceLinkId || item.resourceLinkId === filter.resourceLinkId) &&
        (!filter.resourceId || item.resourceId === filter.resourceId) &&
        (!filter.tag || item.tag === filter.tag),
    );
  }

  /** The container's line item with this `resourceId` and `tag`, made when there is none. */
  async findOrCreateLineItem(
    containerUrl: string,
    input: LineItemInput,
  ): Promise<{ lineItem: LineItem; created: boolean }> {
    const wanted = checked(lineItemInputSchema, input, 'line item');
    const key = `${containerUrl}\n${wanted.resourceId}\n${wanted.tag}`;
    const inFlight = this.finding.get(key);
    if (inFlight) return inFlight;
    const work = this.findOrCreate(containerUrl, wanted).finally(() => this.finding.delete(key));
    this.finding.set(key, work);
    return work;
  }

  private async findOrCreate(containerUrl: string, wanted: LineItemInput) {
    const found = await this.listLineItems(containerUrl, {
      resourceId: wanted.resourceId,
      tag: wanted.tag,
      ...(wanted.resourceLinkId ? { resourceLinkId: wanted.resourceLinkId } : {}),
    });
    if (found[0]) return { lineItem: found[0], created: false };
    const answer = await send(this.transport, {
      method: 'POST',
      url: containerUrl,
      kind: 'container',
      needs: WRITE_ITEMS,
      accept: AGS_MEDIA_TYPES.lineItem,
      contentType: AGS_MEDIA_TYPES.lineItem,
      body: wanted,
      repeatable: false,
    });
    return { lineItem: parsed(lineItemSchema, answer.text, 'a line item'), created: true };
  }

  /** Changes a line item's label, maximum or dates (its `resourceId` and `tag` stay as given). */
  async updateLineItem(lineItemUrl: string, input: LineItemInput): Promise<LineItem> {
    const body = { id: lineItemUrl, ...checked(lineItemInputSchema, input, 'line item') };
    const answer = await send(this.transport, {
      method: 'PUT',
      url: lineItemUrl,
      kind: 'lineItem',
      needs: WRITE_ITEMS,
      accept: AGS_MEDIA_TYPES.lineItem,
      contentType: AGS_MEDIA_TYPES.lineItem,
      body,
      repeatable: true,
    });
    return parsed(lineItemSchema, answer.text, 'a line item');
  }

  /** Posts one student's score to a line item (safe to repeat: the LMS keeps the newest). */
  async postScore(lineItemUrl: string, score: Score): Promise<void> {
    const body = checked(scoreSchema, score, 'score');
    await send(this.transport, {
      method: 'POST',
      url: beside(lineItemUrl, 'scores').toString(),
      kind: 'score',
      needs: [AGS_SCOPES.score],
      contentType: AGS_MEDIA_TYPES.score,
      body,
      repeatable: true,
    });
  }

  /** The results of a line item (every student's, or one user's). */
  async getResults(lineItemUrl: string, filter: { userId?: string; limit?: number } = {}): Promise<Result[]> {
    const url = beside(lineItemUrl, 'results');
    if (filter.userId) url.searchParams.set('user_id', filter.userId);
    if (filter.limit) url.searchParams.set('limit', String(filter.limit));
    return this.pages(url, 'results', AGS_MEDIA_TYPES.resultContainer, [AGS_SCOPES.resultReadonly], (text) =>
      parsed(resultContainerSchema, text, 'a result list'),
    );
  }
}

export function createAgsClient(options: AgsClientOptions): AgsClient {
  return new AgsClient(options);
}
