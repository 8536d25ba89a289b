import { createLmsEmulator, LmsAuthError, type LmsEmulator } from '../../../../src/sandbox/lms';
import { authRequestFor } from './lms.helpers';
import {
  CANVAS_PRIVACY,
  registrationBody,
  startFakeTool,
  TOOL_CONFIGURATION,
} from '../../../support/lms-registration';

/** What differs between the profiles after a dynamic registration: Moodle's pending tools, Canvas's answer. */
describe('moodle emulator: a dynamically registered tool is pending until activated', () => {
  let lms: LmsEmulator;
  let tool: Awaited<ReturnType<typeof startFakeTool>>;

  beforeEach(async () => {
    lms = createLmsEmulator({ profile: 'moodle' });
    await lms.start();
    tool = await startFakeTool((baseUrl) => registrationBody(baseUrl, 'moodle'));
  });
  afterEach(async () => {
    await lms.stop();
    await tool.close();
  });

  it('shows no launch while pending, and launches once the admin activates it', async () => {
    await fetch(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
    const [registration] = lms.registrations;
    expect(registration?.status).toBe('pending');
    const clientId = registration?.clientId as string;

    expect(() => lms.loginInitiation(lms.users.instructor.id)).toThrow(/pending.*activateRegistration/);
    const page = await fetch(
      `${lms.baseUrl}/course/${lms.course.id}/initiate?user=${lms.users.instructor.id}`,
    );
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('pending');

    lms.activateRegistration(clientId);
    expect(lms.registrations[0]?.status).toBe('active');
    expect(lms.loginInitiation(lms.users.instructor.id).client_id).toBe(clientId);
  });

  it('refuses an authentication request for a pending tool', async () => {
    await fetch(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
    const clientId = lms.registrations[0]?.clientId as string;
    lms.activateRegistration(clientId);
    const initiation = lms.loginInitiation(lms.users.instructor.id);
    // A second registration (pending) becomes the tool the site launches.
    await fetch(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
    expect(lms.registrations[1]?.deploymentId).toBe('3');
    const error = await lms.authorize(authRequestFor(lms, initiation, `${tool.baseUrl}/lti/launch`)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LmsAuthError);
    expect(error).toMatchObject({ error: 'unauthorized_client' });
  });
});

describe('canvas emulator: registration answer', () => {
  let lms: LmsEmulator;
  let tool: Awaited<ReturnType<typeof startFakeTool>>;

  beforeAll(async () => {
    lms = createLmsEmulator({ profile: 'canvas' });
    await lms.start();
    tool = await startFakeTool((baseUrl) => registrationBody(baseUrl, 'canvas'));
  });
  afterAll(async () => {
    await lms.stop();
    await tool.close();
  });

  it("echoes the tool's Canvas extensions and placements, and is active at once", async () => {
    await fetch(lms.beginRegistration(`${tool.baseUrl}/lti/register`));
    const answer = tool.visits[0]?.registration as Record<string, unknown>;
    const configuration = answer[TOOL_CONFIGURATION] as Record<string, unknown>;
    expect(configuration[CANVAS_PRIVACY]).toBe('public');
    expect((configuration.messages as Record<string, unknown>[])[0]?.placements).toEqual([
      'course_navigation',
    ]);
    expect(String(configuration['https://canvas.instructure.com/lti/registration_config_url'])).toContain(
      lms.baseUrl,
    );
    expect(lms.registrations[0]?.status).toBe('active');
    expect(lms.loginInitiation(lms.users.learner.id).client_id).toBe(answer.client_id);
  });
});
