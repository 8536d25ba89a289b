import { databaseKinds } from '../../support/db';
import { errorIdOf } from '../../support/fault-storm';
import { newIntent, plain, settleJobs } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * A refusal keeps the form: whatever Zoom refuses (a field it names, a 404, a 429, a 5xx), the
 * schedule form and the edit form come back with what was typed, the field Zoom named marked with
 * our label for it, and what to do, in the viewer's language; the log carries Zoom's own words.
 */
const CREATE = '^/v2/users/[^/]+/meetings$';
const UPDATE = '^/v2/meetings/\\d+$';

interface Kind {
  name: string;
  fault: Parameters<MeetingsHarness['zoom']['injectFault']>[0];
  status: number;
  /** Lines the form shows (en, es); the field marked, if any. */
  en: string[];
  es: string[];
  field?: string;
  /** Zoom's words in the log. */
  logged: string;
  /** The error's id the form gives, as the error page would. */
  errorId: string;
  /** Only the edit (a 5xx on a create is looked for at Zoom, not refused). */
  editOnly?: boolean;
}

const kinds: Kind[] = [
  {
    name: 'a 400 naming the passcode',
    fault: {
      kind: 'refuse',
      status: 400,
      code: 300,
      errors: [{ field: 'password', message: 'Passcode does not meet the account’s requirements.' }],
    },
    status: 422,
    en: [
      'Zoom did not accept the meeting: it refused “Passcode”, so nothing was scheduled or changed. Zoom said: Passcode does not meet the account’s requirements.',
      'Correct “Passcode” below and send the form again',
    ],
    es: ['Zoom no aceptó la clase: rechazó «Código de acceso»', 'Corrige «Código de acceso» abajo'],
    field: 'passcode',
    logged: 'Passcode does not meet the account’s requirements.',
    errorId: 'meeting_refused',
  },
  {
    name: 'a 400 naming the start time',
    fault: {
      kind: 'refuse',
      code: 300,
      errors: [{ field: 'start_time', message: 'Invalid field.' }],
    },
    status: 422,
    en: [
      'it refused “Start time”, so nothing was scheduled or changed. Zoom said: Invalid field.',
      'Correct “Start time” below',
    ],
    es: [
      'rechazó «Hora de inicio», así que no se programó ni cambió nada. Zoom dijo: Invalid field.',
      'Corrige «Hora de inicio» abajo',
    ],
    field: 'startTime',
    logged: 'Validation Failed.',
    errorId: 'meeting_refused',
  },
  {
    name: 'a 400 naming no field',
    fault: { kind: 'refuse', code: 3000, message: 'Cannot access meeting info.' },
    status: 422,
    en: [
      'Zoom did not accept the meeting, so nothing was scheduled or changed. Zoom said: Cannot access meeting info.',
    ],
    es: [
      'Zoom no aceptó la clase, así que no se programó ni cambió nada. Zoom dijo: Cannot access meeting info.',
    ],
    logged: 'Cannot access meeting info.',
    errorId: 'meeting_refused',
  },
  {
    name: 'a 404',
    fault: { kind: 'refuse', status: 404, code: 1001, message: 'User does not exist: abc.' },
    status: 404,
    en: ['Zoom did not find your Zoom user or this meeting', 'Reload the course page'],
    es: ['Zoom no encontró tu usuario de Zoom o esta clase', 'Vuelve a cargar la página del curso'],
    logged: 'User does not exist: abc.',
    errorId: 'meeting_refused',
  },
  {
    name: 'a 429 that lasts',
    fault: { kind: 'rate_limit', ms: 10 },
    status: 503,
    en: ['Zoom is busy', 'Send the form again in a minute'],
    es: ['Zoom está ocupado', 'Envía el formulario de nuevo en un minuto'],
    logged: 'zoom_busy',
    errorId: 'zoom_busy',
  },
  {
    name: 'a 5xx that lasts',
    fault: { kind: 'status5xx', status: 503 },
    status: 503,
    en: ['Zoom did not answer, so nothing was scheduled or changed.', 'status.zoom.us'],
    es: ['Zoom no respondió, así que no se programó ni cambió nada.', 'status.zoom.us'],
    logged: 'zoom_unavailable',
    errorId: 'zoom_unavailable',
    editOnly: true,
  },
];

const typed = {
  topic: 'Typed <topic> 🎓',
  date: '2030-05-06',
  startTime: '10:30',
  duration: '75',
  timeZone: 'Europe/Madrid',
  passcode: 'keep*me1',
  repeats: 'weekly',
  on: ['2', '4'],
  ends: 'after',
  endAfter: '7',
  joinBeforeHost: 'on',
};

/** The form's inputs show what was typed (EJS escapes the topic). */
function expectTypedValues(html: string) {
  expect(html).toContain('value="Typed &lt;topic&gt; 🎓"');
  expect(html).toContain('name="date" type="date" required value="2030-05-06"');
  expect(html).toContain('name="startTime" type="time" required value="10:30"');
  expect(html).toContain('value="75"');
  expect(html).toMatch(/<option value="Europe\/Madrid" selected>/);
  expect(html).toContain('value="keep*me1"');
  expect(html).toMatch(/id="f-repeats-weekly" name="repeats" value="weekly" checked/);
  expect(html).toMatch(/id="f-on-2" name="on" value="2" checked/);
  expect(html).toMatch(/id="f-on-4" name="on" value="4" checked/);
  expect(html).toMatch(/name="endAfter" type="number" min="1" max="50" value="7"/);
  expect(html).toMatch(/id="f-joinBeforeHost" name="joinBeforeHost" checked/);
  expect(html).not.toMatch(/id="f-waitingRoom" name="waitingRoom" checked/);
}

describe.each(databaseKinds('one'))('when Zoom refuses a meeting, the form is kept (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  const logLines: string[] = [];
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind, logLines });
  });
  afterAll(() => h.close());
  afterEach(() => h.zoom.clearFaults());

  const logged = () => logLines.filter((line) => line.includes('Zoom refused the meeting'));

  const table = kinds.flatMap((kind) =>
    (['en', 'es'] as const).flatMap((lang) => [
      ...(kind.editOnly ? [] : [{ kind, lang, form: 'schedule' as const }]),
      { kind, lang, form: 'edit' as const },
    ]),
  );

  it.each(table.map((row) => [`${row.kind.name}, ${row.form} form, ${row.lang}`, row] as const))(
    '%s: the form comes back with the typed values, the field and what to do',
    async (_name, { kind, lang, form }) => {
      const page = await h.page(h.lms.users.instructor.id, h.lms, '', { locale: lang });
      let path = '/meetings';
      let zoomId: number | undefined;
      if (form === 'edit') {
        const made = await h.schedule(page, { intent: newIntent(), topic: `Before ${kind.name} ${lang}` });
        expect(made.response.status).toBe(303);
        path = `/meetings/${made.id}`;
        zoomId = h.zoom
          .meetings(h.account.account_id)
          .find((m) => m.topic === `Before ${kind.name} ${lang}`)?.id;
      }
      await settleJobs(h); // the students' registrant links of a meeting just scheduled
      const before = JSON.stringify(h.zoom.meetings(h.account.account_id));
      const seen = logged().length;
      h.zoom.injectFault({
        match: { path: form === 'edit' ? UPDATE : CREATE, method: form === 'edit' ? 'PATCH' : 'POST' },
        ...kind.fault,
      });

      const response = await h.post(page, path, { ...typed, intent: newIntent() });

      expect(response.status).toBe(kind.status);
      const html = plain(response.text);
      expect(html).toContain('data-refusal="zoom"');
      // The error's id, as the error page gives it (support, and the fault storm, read it there).
      expect(errorIdOf(html)).toBe(kind.errorId);
      expect(html).toContain(`<form method="post" action="/lti${path}?`);
      for (const line of kind[lang]) expect(html).toContain(line.replace(/"/g, '&#34;'));
      expectTypedValues(html);
      if (kind.field) {
        const label = {
          passcode: ['Passcode', 'Código de acceso'],
          startTime: ['Start time', 'Hora de inicio'],
        }[kind.field]?.[lang === 'en' ? 0 : 1];
        const marked =
          lang === 'en' ? `Zoom did not accept this “${label}”` : `Zoom no aceptó este valor de «${label}»`;
        expect(html).toContain(`<span class="field-error" id="e-${kind.field}">${marked}`);
      }
      // Nothing changed at Zoom; the log has Zoom's words, not a template.
      expect(JSON.stringify(h.zoom.meetings(h.account.account_id))).toBe(before);
      if (zoomId !== undefined)
        expect(h.zoom.meetings(h.account.account_id).some((m) => m.id === zoomId)).toBe(true);
      const lines = logged().slice(seen);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(kind.logged);
      expect(lines.join('\n')).not.toContain('{{');
    },
  );

  it('the log of a refusal that reaches the error page carries Zoom’s words too, not the catalog’s template', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const made = await h.schedule(page, { intent: newIntent(), topic: 'Started then deleted' });
    const zoomId = h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Started then deleted')?.id;
    h.zoom.injectFault({
      match: { path: UPDATE, method: 'DELETE' },
      kind: 'refuse',
      code: 3000,
      message: 'Zoom keeps this one.',
    });
    const seen = logLines.length;

    const response = await h.post(page, `/meetings/${made.id}/delete`, { scope: 'all' });

    expect(response.status).toBe(422);
    expect(zoomId).toBeDefined();
    const refused = logLines.slice(seen).filter((line) => line.includes('meeting_refused'));
    expect(refused.join('\n')).toContain('Zoom said: Zoom keeps this one.');
    expect(refused.join('\n')).not.toContain('{{message}}');
  });
});
