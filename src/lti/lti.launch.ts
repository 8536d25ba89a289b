import { z } from 'zod';
import { normaliseRoles, type CourseRole } from './roles';

/** A verified launch, as the rest of the tool sees it (ltijs' shapes stay in the lti capability). */
export interface LaunchContext {
  ltik: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  /** The LMS user id (`sub`); with the issuer it identifies a person. */
  userId: string;
  name: string;
  givenName: string | undefined;
  familyName: string | undefined;
  email: string | undefined;
  role: CourseRole | null;
  isTeachingAssistant: boolean;
  /** An institution or system administrator (see roles.ts): administers the school's Zoom here. */
  schoolAdministrator: boolean;
  roles: string[];
  course: { id: string; label: string | undefined; title: string | undefined };
  resourceLink: { id: string; title: string | undefined } | undefined;
  messageType: string;
  platform: { name: string | undefined; productFamily: string | undefined };
  /** Where "Back to the course" leads: the LMS's `return_url`, only when it is an http(s) URL. */
  returnUrl: string | undefined;
  /** The language the LMS shows the person (`launch_presentation.locale`, e.g. `es-MX`), if it said. */
  locale: string | undefined;
  /** For an `LtiDeepLinkingRequest`: what the LMS's content picker accepts back. */
  deepLinking: DeepLinkingSettings | undefined;
  /** The link's custom parameters (e.g. the meeting a deep-linked resource link opens). */
  custom: Record<string, string>;
  /**
   * How this launch proved it came back to the browser that began the login: the login's state
   * cookie, the LMS's platform storage (LTI client-side postMessages), or the tool window's own
   * storage (a top-level window that keeps no cookie). Undefined when not known.
   */
  stateCheck?: StateCheck;
  /** The LTI Advantage services this launch offers for its course (empty when it offers none). */
  services: CourseServices;
}

/** Names and Roles and Assignment and Grade Services, as a launch's claims name them. */
export interface CourseServices {
  /** Names and Roles' `context_memberships_url`. */
  membershipsUrl: string | undefined;
  /** AGS's `lineitems` container of the course. */
  lineItemsUrl: string | undefined;
  /** The AGS scopes the LMS granted the tool (empty without the claim). */
  agsScopes: string[];
}

export type StateCheck = 'cookie' | 'platform-storage' | 'window-storage';

/** The `deep_linking_settings` claim, as the picker needs it. */
export interface DeepLinkingSettings {
  returnUrl: string;
  acceptTypes: string[];
  acceptMultiple: boolean;
  autoCreate: boolean;
  title: string | undefined;
  text: string | undefined;
}

const tokenShape = z.object({
  iss: z.string(),
  user: z.string(),
  clientId: z.string(),
  deploymentId: z.string(),
  userInfo: z
    .object({
      given_name: z.string().nullish(),
      family_name: z.string().nullish(),
      name: z.string().nullish(),
      email: z.string().nullish(),
    })
    .partial()
    .nullish(),
  platformInfo: z
    .object({ name: z.string().nullish(), product_family_code: z.string().nullish() })
    .partial()
    .passthrough()
    .nullish(),
  /** Recorded by the launch when the state came back without its cookie (see provider.ts). */
  stateCheck: z.enum(['cookie', 'platform-storage', 'window-storage']).nullish(),
});

const contextShape = z.object({
  roles: z.array(z.unknown()).nullish(),
  messageType: z.string().nullish(),
  context: z
    .object({ id: z.string(), label: z.string().nullish(), title: z.string().nullish() })
    .passthrough()
    .nullish(),
  resource: z.object({ id: z.string(), title: z.string().nullish() }).passthrough().nullish(),
  custom: z.record(z.string(), z.unknown()).nullish(),
  launchPresentation: z
    .object({ return_url: z.string().nullish(), locale: z.string().nullish() })
    .passthrough()
    .nullish(),
  namesRoles: z.object({ context_memberships_url: z.string().nullish() }).passthrough().nullish(),
  endpoint: z
    .object({ scope: z.array(z.unknown()).nullish(), lineitems: z.string().nullish() })
    .passthrough()
    .nullish(),
  deepLinkingSettings: z
    .object({
      deep_link_return_url: z.string(),
      accept_types: z.array(z.string()).nullish(),
      accept_multiple: z.union([z.boolean(), z.string()]).nullish(),
      auto_create: z.union([z.boolean(), z.string()]).nullish(),
      title: z.string().nullish(),
      text: z.string().nullish(),
    })
    .passthrough()
    .nullish(),
});

/** An http(s) URL, or undefined: a `javascript:` or `data:` return URL is never rendered as a link. */
function httpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** LTI sends booleans, but some platforms send them as strings. */
const truthy = (value: boolean | string | null | undefined, otherwise: boolean) =>
  value === undefined || value === null ? otherwise : value === true || value === 'true';

function deepLinkingOf(
  settings: z.infer<typeof contextShape>['deepLinkingSettings'],
): DeepLinkingSettings | undefined {
  const returnUrl = httpUrl(settings?.deep_link_return_url);
  if (!settings || !returnUrl) return undefined;
  return {
    returnUrl,
    acceptTypes: settings.accept_types ?? [],
    acceptMultiple: truthy(settings.accept_multiple, true),
    autoCreate: truthy(settings.auto_create, false),
    title: settings.title ?? undefined,
    text: settings.text ?? undefined,
  };
}

function displayName(info: z.infer<typeof tokenShape>['userInfo']): string {
  const full = info?.name?.trim();
  if (full) return full;
  const parts = [info?.given_name, info?.family_name].filter((part): part is string =>
    Boolean(part && part.trim()),
  );
  return parts.length > 0 ? parts.join(' ') : 'there';
}

export function toLaunchContext(token: unknown, context: unknown, ltik: unknown): LaunchContext | undefined {
  const parsedToken = tokenShape.safeParse(token);
  const parsedContext = contextShape.safeParse(context);
  if (!parsedToken.success || !parsedContext.success || typeof ltik !== 'string' || ltik === '')
    return undefined;
  const t = parsedToken.data;
  const c = parsedContext.data;
  const roles = (c.roles ?? []).filter((role): role is string => typeof role === 'string');
  const normalised = normaliseRoles(roles);
  return {
    ltik,
    issuer: t.iss,
    clientId: t.clientId,
    deploymentId: t.deploymentId,
    userId: t.user,
    name: displayName(t.userInfo),
    givenName: t.userInfo?.given_name ?? undefined,
    familyName: t.userInfo?.family_name ?? undefined,
    email: t.userInfo?.email ?? undefined,
    role: normalised.role,
    isTeachingAssistant: normalised.isTeachingAssistant,
    schoolAdministrator: normalised.isSchoolAdministrator,
    roles,
    course: {
      id: c.context?.id ?? '',
      label: c.context?.label ?? undefined,
      title: c.context?.title ?? undefined,
    },
    resourceLink: c.resource ? { id: c.resource.id, title: c.resource.title ?? undefined } : undefined,
    messageType: c.messageType ?? 'LtiResourceLinkRequest',
    platform: {
      name: t.platformInfo?.name ?? undefined,
      productFamily: t.platformInfo?.product_family_code ?? undefined,
    },
    returnUrl: httpUrl(c.launchPresentation?.return_url),
    locale: c.launchPresentation?.locale?.trim() || undefined,
    // Every launch passed our state check: without a record of another way, the cookie carried it.
    stateCheck: t.stateCheck ?? 'cookie',
    deepLinking: deepLinkingOf(c.deepLinkingSettings),
    custom: Object.fromEntries(
      Object.entries(c.custom ?? {}).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
    services: {
      membershipsUrl: httpUrl(c.namesRoles?.context_memberships_url),
      lineItemsUrl: httpUrl(c.endpoint?.lineitems),
      agsScopes: (c.endpoint?.scope ?? []).filter((scope): scope is string => typeof scope === 'string'),
    },
  };
}
