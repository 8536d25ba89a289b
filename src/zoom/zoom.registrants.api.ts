import { z } from 'zod';
import type { ZoomAccountApi } from './zoom.client';

/**
 * Zoom's meeting registrants (ZOOM-NOTES "Registration"; openapi `/meetings/{meetingId}/registrants`),
 * over a connection's client and so through the account's pacer. A meeting with
 * `settings.approval_type` 0 takes registrants; each gets a `registrant_id` and its own `join_url`,
 * which lets anyone join as that person: callers seal it and never log it.
 * - add: `POST` (Light). Never repeated by the client after an ambiguous failure (a POST): the
 *   caller lists the meeting's registrants and adopts the one with its email.
 * - list: `GET` (Medium), approved registrants, 300 a page, every page (`next_page_token`).
 */

export const zoomRegistrantAddedSchema = z.looseObject({
  registrant_id: z.string().min(1),
  join_url: z.string().min(1),
});
export type ZoomRegistrantAdded = z.infer<typeof zoomRegistrantAddedSchema>;

export const zoomRegistrantSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  status: z.string().optional(),
  join_url: z.string().optional(),
});
export type ZoomRegistrant = z.infer<typeof zoomRegistrantSchema>;

export const zoomRegistrantPageSchema = z.looseObject({
  next_page_token: z.string().optional(),
  registrants: z.array(zoomRegistrantSchema).default([]),
});

/** The body of an add: the person's names and the email Zoom knows them by. */
export interface ZoomRegistrantInput {
  email: string;
  first_name: string;
  last_name?: string;
}

export interface ZoomRegistrantsApi {
  add(meetingId: string, input: ZoomRegistrantInput): Promise<ZoomRegistrantAdded>;
  /** Every approved registrant of the meeting (all pages; at most `maxPages` of 300). */
  list(meetingId: string, options?: { maxPages?: number }): Promise<ZoomRegistrant[]>;
}

/** Zoom takes first names of 1–64 characters and last names up to 64. */
export function registrantNames(name: string): { first_name: string; last_name: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (words.length > 1 ? words.slice(0, -1).join(' ') : (words[0] ?? '')).slice(0, 64);
  const last = (words.length > 1 ? (words.at(-1) ?? '') : '').slice(0, 64);
  return { first_name: first || 'Student', last_name: last };
}

export function zoomRegistrants(api: ZoomAccountApi): ZoomRegistrantsApi {
  return {
    add: (meetingId, input) =>
      api.request({
        method: 'POST',
        path: '/meetings/{meetingId}/registrants',
        pathParams: { meetingId },
        body: { email: input.email, first_name: input.first_name, last_name: input.last_name ?? '' },
        category: 'light',
        schema: zoomRegistrantAddedSchema,
      }),
    list: async (meetingId, options = {}) => {
      const all: ZoomRegistrant[] = [];
      let token: string | undefined;
      for (let page = 0; page < (options.maxPages ?? 20); page += 1) {
        const answer = await api.request({
          method: 'GET',
          path: '/meetings/{meetingId}/registrants',
          pathParams: { meetingId },
          query: { status: 'approved', page_size: 300, next_page_token: token },
          category: 'medium',
          schema: zoomRegistrantPageSchema,
        });
        all.push(...answer.registrants);
        token = answer.next_page_token || undefined;
        if (!token) break;
      }
      return all;
    },
  };
}
