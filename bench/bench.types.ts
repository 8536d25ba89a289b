import type { LmsEmulator } from '../src/sandbox/lms';

/** One line of the table: a figure, and the target it is judged against (if any). */
export interface Row {
  bench: string;
  measure: string;
  value: string;
  target?: string;
  /** Whether the target is met; undefined when the row has no target. */
  pass?: boolean;
  /**
   * A speed or memory target (judged only in a full run); counts that must be zero (errors, Zoom
   * requests) are judged in the smoke run too.
   */
  timed?: boolean;
}

export interface BenchContext {
  smoke: boolean;
  /** Start the PostgreSQL tool of the student-launch bench under the CPU profiler. */
  profile: boolean;
  /** Progress, on stderr. */
  log(line: string): void;
  /** Text printed after the table (the profile, the load generator's share of the CPU). */
  note(text: string): void;
}

export interface Bench {
  name: string;
  run(context: BenchContext): Promise<Row[]>;
}

/** Adds `count` learners (`<prefix>-0` …) to the emulated course. */
export function addLearners(lms: LmsEmulator, prefix: string, count: number): string[] {
  const roles = lms.users.learner.roles;
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${i}`;
    lms.addUser({
      id,
      givenName: 'Bench',
      familyName: `Learner ${i}`,
      name: `Bench Learner ${i}`,
      email: `${id}@school.example.edu`,
      roles: [...roles],
    });
    return id;
  });
}
