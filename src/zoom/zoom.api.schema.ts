import { z } from 'zod';

/**
 * The shapes of the Zoom API answers the client parses. Objects are loose: fields Zoom adds later
 * pass through untouched; only the fields the tool relies on are declared, and a body without them
 * becomes an `invalid_response` error (ZOOM-NOTES "Users", "Generic errors").
 */

/** Zoom's generic error body: `{code, message[, errors[{field, message}]]}`. */
export const zoomErrorBodySchema = z.looseObject({
  code: z.number(),
  message: z.string(),
  errors: z.array(z.looseObject({ field: z.string(), message: z.string() })).optional(),
});
export type ZoomErrorBody = z.infer<typeof zoomErrorBodySchema>;

/** `GET /users/{userId|email|me}`. `status` is 'active' | 'inactive' | 'pending' today. */
export const zoomUserSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string(),
  /** 1 Basic, 2 Licensed, 99 None (ssoCreate); other values are passed on as numbers. */
  type: z.number().int(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  display_name: z.string().optional(),
  status: z.string().optional(),
  account_id: z.string().optional(),
  role_id: z.string().optional(),
  timezone: z.string().optional(),
});
export type ZoomUser = z.infer<typeof zoomUserSchema>;

/** The body of `POST /users` (ZOOM-NOTES "Users"); type 99 only with ssoCreate. */
export interface ZoomCreateUserInput {
  action: 'create' | 'autoCreate' | 'custCreate' | 'ssoCreate';
  user_info: {
    email: string;
    type: 1 | 2 | 99;
    first_name?: string;
    last_name?: string;
    display_name?: string;
  };
}

/** The body of `PATCH /users/{userId}`: licence type (1 Basic, 2 Licensed) and names. */
export interface ZoomUserPatch {
  type?: 1 | 2 | 99;
  first_name?: string;
  last_name?: string;
}

/** `POST /users` → 201 `{id, first_name, last_name, email, type}`. */
export const zoomCreatedUserSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string(),
  type: z.number().int(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
export type ZoomCreatedUser = z.infer<typeof zoomCreatedUserSchema>;

/**
 * Answers whose body the tool ignores (`PATCH /users/{id}` → 204). Anything is accepted: the change
 * was made whatever Zoom says in a 2xx body, so refusing it would misreport a success.
 */
export const zoomNoContentSchema = z.unknown();

/** A Zoom body as text → JSON; '' → undefined; text that is not JSON is returned as it is. */
export function parseZoomBody(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Fills `{name}` placeholders (encodeURIComponent) and names the path for logs: the template when
 * placeholders were used, otherwise the path with every segment that is not a plain lower-case word
 * (ids, emails, meeting numbers) replaced by `{…}`.
 */
export function resolveZoomPath(
  path: string,
  params: Record<string, string | number> | undefined,
): { url: string; template: string } {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('://') || path.includes('?')) {
    throw new TypeError(`Zoom API paths are relative and start with one '/': ${path}`);
  }
  if (!params) {
    const template = path
      .split('/')
      .map((segment) => (segment === '' || /^[a-z_]+$/.test(segment) ? segment : '{…}'))
      .join('/');
    return { url: path, template };
  }
  const url = path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new TypeError(`No value for {${name}} in ${path}`);
    return encodeURIComponent(String(value));
  });
  return { url, template: path };
}
