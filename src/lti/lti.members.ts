import { z } from 'zod';

/** A member of the course, as Names and Roles lists it. */
export interface CourseMember {
  userId: string;
  name: string;
  email: string | undefined;
  roles: string[];
}

const memberShape = z.looseObject({
  user_id: z.string(),
  name: z.string().nullish(),
  given_name: z.string().nullish(),
  family_name: z.string().nullish(),
  email: z.string().nullish(),
  status: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
});

/** The active members of a Names and Roles answer, each with a display name (members it cannot read are left out). */
export function courseMembersFrom(members: unknown[]): CourseMember[] {
  return members.flatMap((raw) => {
    const member = memberShape.safeParse(raw);
    if (!member.success || (member.data.status && member.data.status !== 'Active')) return [];
    const { user_id: userId, name, given_name: given, family_name: family, email, roles } = member.data;
    const display = name?.trim() || [given, family].filter(Boolean).join(' ') || userId;
    return [{ userId, name: display, email: email ?? undefined, roles: roles ?? [] }];
  });
}
