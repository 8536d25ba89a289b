import type { LmsProfileName } from './lms';

/**
 * What the sandbox is made of: two emulated LMSs, each the LMS of one flagged school with its own
 * Zoom account in the simulator. Issuers are fixed (not the emulators' ports), so a restart on other
 * ports finds the same registrations; people's emails get a domain per school, because a Zoom email
 * belongs to one account only.
 */
export interface SandboxSchoolSpec {
  key: LmsProfileName;
  /** A school name only the sandbox may use (`sandbox_school_name` refuses it to anyone else). */
  name: string;
  productName: string;
  issuer: string;
  emailDomain: string;
  timeZone: string;
}

export const SANDBOX_SCHOOLS: readonly SandboxSchoolSpec[] = [
  {
    key: 'moodle',
    name: 'Sandbox Moodle school',
    productName: 'Moodle',
    issuer: 'https://moodle.sandbox.example.edu',
    emailDomain: 'moodle.sandbox.example.edu',
    timeZone: 'America/New_York',
  },
  {
    key: 'canvas',
    name: 'Sandbox Canvas school',
    productName: 'Canvas',
    issuer: 'https://canvas.sandbox.example.edu',
    emailDomain: 'canvas.sandbox.example.edu',
    timeZone: 'America/Chicago',
  },
];

/** The Zoom account owner each school's Zoom admin signs in as on the simulator's consent page. */
export function zoomAdminEmail(spec: SandboxSchoolSpec): string {
  return `zoom.admin@${spec.emailDomain}`;
}

/** Where the sandbox keeps what must outlive a restart (ports, the simulator's state), under DATA_DIR. */
export const SANDBOX_STATE_FILE = 'sandbox/state.json';

/** How often the simulator's state is written to DATA_DIR while the sandbox runs (and once at stop). */
export const SANDBOX_SAVE_EVERY_MS = 5_000;
