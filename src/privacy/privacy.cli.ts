import os from 'node:os';
import { Command, CommanderError } from 'commander';
import type { CliIo } from '../tenants/tenants.cli';
import type { Retention } from './privacy.schema';
import type { PrivacyService } from './privacy.service';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const kept = (days: number | null) =>
  days === null ? 'kept (no limit)' : `${days} day(s) after the course ends`;

function retentionText(school: string, r: Retention): string {
  return [
    `Retention of ${school}:`,
    `  meetings    ${kept(r.meetingsDays)}`,
    `  attendance  ${kept(r.attendanceDays)}`,
    `  logs        ${r.logsDays === null ? 'kept (no limit)' : `${r.logsDays} day(s)`}`,
    r.updatedBy ? `  changed by ${r.updatedBy} at ${r.updatedAt?.toISOString() ?? ''}` : '  never changed',
    '',
  ].join('\n');
}

/** Who asked, as the erasure records it: `--by`, else the account running the command. */
function operatorName(by: string | undefined): string {
  if (by && by.trim().length > 0) return by.trim();
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** `school retention <school>`: shows the school's retention, or changes it. */
export function retentionCommand(open: () => Promise<PrivacyService>, io: CliIo): Command {
  return new Command('retention')
    .description(
      'How long a school keeps meetings, attendance and logs after a course ends (shows it; options change it)',
    )
    .argument('<school>', 'the school (its id or name)')
    .option('--meetings <days>', 'days meetings and recordings links are kept after a course ends')
    .option(
      '--attendance <days>',
      'days attendance (sessions, results, registrant links, roster) is kept after a course ends',
    )
    .option('--logs <days>', 'days logs (webhook deliveries, errors, failed jobs) are kept')
    .option('--keep <kind>', 'keep meetings, attendance or logs with no limit (repeat for several)', collect)
    .option('--by <who>', 'who made the change (default: the account running the command)')
    .option('--json', 'print JSON', false)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .action(async (schoolArg: string, options: Record<string, unknown>) => {
      const privacy = await open();
      const school = await privacy.school(schoolArg);
      const change = {
        meetings: options.meetings,
        attendance: options.attendance,
        logs: options.logs,
        keep: (options.keep as string[] | undefined) ?? [],
      };
      const changing =
        change.keep.length > 0 || [change.meetings, change.attendance, change.logs].some(Boolean);
      const retention = changing
        ? await privacy.retention.change(school.id, change, operatorName(options.by as string | undefined))
        : await privacy.retention.of(school.id);
      io.out(
        options.json
          ? JSON.stringify({ school: school.name, schoolId: school.id, ...retention }, null, 2) + '\n'
          : retentionText(school.name, retention),
      );
    });
}

/** `privacy export | delete`: everything held about one LMS user of a school, as JSON; or its erasure. */
export function privacyCommands(open: () => Promise<PrivacyService>, io: CliIo): Command {
  const privacy = new Command('privacy')
    .description("One LMS user's data in a school: export it, or delete it (docs/privacy.md)")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const subject = (command: Command) =>
    command
      .requiredOption('--school <school>', 'the school (its id or name)')
      .requiredOption('--issuer <iss>', "the LMS's issuer (as in `platform list`)")
      .requiredOption('--user <id>', 'the LMS user id (the LTI `sub`)');

  subject(privacy.command('export'))
    .description('Prints as JSON everything the tool holds about the user in the school')
    .action(async (options: { school: string; issuer: string; user: string }) => {
      io.out(JSON.stringify(await (await open()).export(options), null, 2) + '\n');
    });

  subject(privacy.command('delete'))
    .description(
      'Deletes everything about the user in the school, anonymising what others still need; says what was kept and why',
    )
    .option('--yes', 'really delete (without it nothing changes)', false)
    .option('--by <who>', 'who asked (recorded; default: the account running the command)')
    .option('--json', 'print JSON', false)
    .action(
      async (options: {
        school: string;
        issuer: string;
        user: string;
        yes: boolean;
        by?: string;
        json: boolean;
      }) => {
        const service = await open();
        if (!options.yes) {
          const data = await service.export(options);
          const counts = Object.entries({
            coursePeople: data.coursePeople.length,
            zoomUser: data.zoomUser ? 1 : 0,
            meetingsHostedOrScheduled: data.meetingsHostedOrScheduled.length,
            registrantLinks: data.registrantLinks.length,
            attendanceSessions: data.attendanceSessions.length,
            attendanceResults: data.attendanceResults.length,
            gradeScores: data.gradeScores.length,
            ltijsLaunchSessions: data.ltijsLaunchSessions.length,
          });
          io.out(
            [
              `Would erase LMS user ${options.user} (${options.issuer}) in ${data.subject.school}:`,
              ...counts.map(([what, n]) => `  ${what}: ${n}`),
              'Nothing was deleted. Run again with --yes to delete.',
              '',
            ].join('\n'),
          );
          throw new CommanderError(2, 'privacy.unconfirmed', 'not confirmed');
        }
        const report = await service.erase(options, operatorName(options.by));
        if (options.json) {
          io.out(JSON.stringify(report, null, 2) + '\n');
          return;
        }
        const lines = (counts: Record<string, number>) =>
          Object.keys(counts).length === 0
            ? ['  nothing']
            : Object.entries(counts).map(([t, n]) => `  ${t}: ${n}`);
        io.out(
          [
            `Erased LMS user ${options.user} (${options.issuer}) in ${report.subject.schoolName} (recorded as ${report.subjectHash.slice(0, 16)}…).`,
            'Removed:',
            ...lines(report.removed),
            'Anonymised:',
            ...lines(report.anonymised),
            'Kept:',
            ...lines(report.kept),
            '',
            ...report.notes,
            '',
          ].join('\n'),
        );
      },
    );
  return privacy;
}
