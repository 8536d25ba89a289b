import type { Logger } from 'pino';
import { errors, forSchool } from '../shared/errors';
import { describeZodError } from '../shared/validation';
import { isUniqueViolation, type Db } from '../storage';
import { ExpiringCache } from '../shared/cache';
import { LAUNCH_CACHE_TTL_MS } from './tenants.cache';
import { FrameAncestors } from './tenants.frames';
import * as repo from './tenants.repo';
import {
  addPlatformInput,
  removePlatformInput,
  type AddPlatformInput,
  type RegistrationForLaunch,
  type RegistrationView,
  type RemovePlatformInput,
} from './tenants.schema';

/** Where the LTI layer keeps a registration's platform record and tool keys (ltijs, behind a facade). */
export interface PlatformKeyStore {
  registerPlatform(platform: {
    issuer: string;
    clientId: string;
    name: string;
    loginUrl: string;
    tokenUrl: string;
    jwksUrl: string;
  }): Promise<void>;
  removePlatform(issuer: string, clientId: string): Promise<void>;
}

const FRAME_CACHE_MS = 10_000;

/** A registration an operator deactivated refuses logins and launches (on the school's error list). */
function refuseInactive(
  found: (RegistrationForLaunch & { active: boolean }) | undefined,
): RegistrationForLaunch | undefined {
  if (found && !found.active) throw forSchool(errors.registrationInactive(), found.schoolId);
  return found;
}

/** Schools, their LMS registrations and deployments. */
export class TenantsService {
  private frameCache: { at: number; ancestors: FrameAncestors } | undefined;
  /** Registrations and schools as launches read them (LAUNCH_CACHE_TTL_MS at most). */
  private readonly launchCache: ExpiringCache<object>;

  constructor(
    private readonly db: Db,
    private readonly platforms: PlatformKeyStore,
    private readonly logger: Logger,
    options: { launchCacheTtlMs?: number } = {},
  ) {
    this.launchCache = new ExpiringCache({ ttlMs: options.launchCacheTtlMs ?? LAUNCH_CACHE_TTL_MS });
  }

  /**
   * A new school with no registration yet (the console's "Add a school"); its LMS joins with a
   * registration link. Undefined (nothing changed) when a real or a sandbox school has the name.
   */
  async addSchool(input: {
    name: string;
    timeZone?: string;
  }): Promise<{ id: string; name: string } | undefined> {
    const school = await repo.insertSchool(this.db, input);
    if (school) this.logger.info({ schoolId: school.id }, 'school added');
    return school;
  }

  /**
   * `sandbox`: only the sandbox (src/sandbox) registers into its own flagged schools.
   * `issuerOfThisSchoolOnly`: refused when another school has a registration for the issuer (a
   * dynamic registration; an operator may register a shared issuer for several schools).
   */
  async addPlatform(
    rawInput: AddPlatformInput,
    options: { sandbox?: boolean; issuerOfThisSchoolOnly?: boolean } = {},
  ): Promise<RegistrationView> {
    const parsed = addPlatformInput.safeParse(rawInput);
    if (!parsed.success) throw errors.badRequest(`Invalid registration: ${describeZodError(parsed.error)}.`);
    const input = parsed.data;
    if (options.issuerOfThisSchoolOnly) await this.assertIssuerFree(input, input.school);
    if (await repo.findRegistrationRow(this.db, input.issuer, input.clientId)) {
      throw errors.registrationExists(
        `A registration for issuer ${input.issuer} and client id ${input.clientId} already exists.`,
      );
    }
    // The tool's key pair for this platform is made first (slow, outside any transaction); if our
    // own rows cannot be written, it is removed again so nothing half-made stays behind.
    await this.platforms.registerPlatform({
      issuer: input.issuer,
      clientId: input.clientId,
      name: input.name ?? input.school,
      loginUrl: input.loginUrl,
      tokenUrl: input.tokenUrl,
      jwksUrl: input.jwksUrl,
    });
    let registrationId: string;
    try {
      registrationId = await this.db.transaction(async (tx) => {
        const school = await repo.findOrCreateSchool(tx, input.school, input.timeZone, options.sandbox);
        const row = await repo.insertRegistration(tx, {
          schoolId: school.id,
          issuer: input.issuer,
          clientId: input.clientId,
          loginUrl: input.loginUrl,
          tokenUrl: input.tokenUrl,
          jwksUrl: input.jwksUrl,
          acceptNewDeployments: input.acceptNewDeployments,
          frameOrigins: input.frameOrigins,
        });
        await repo.insertDeployments(tx, row.id, input.deployments, 'manual');
        return row.id;
      });
    } catch (error) {
      await this.platforms.removePlatform(input.issuer, input.clientId);
      if (isUniqueViolation(error)) {
        throw errors.registrationExists(
          `A registration for issuer ${input.issuer} and client id ${input.clientId} already exists.`,
        );
      }
      throw error;
    }
    this.forgetCached();
    this.logger.info({ registrationId, issuer: input.issuer, school: input.school }, 'registration added');
    const view = (await this.listPlatforms()).find((registration) => registration.id === registrationId);
    if (!view) throw new Error('Registration vanished after being added');
    return view;
  }

  async listPlatforms(): Promise<RegistrationView[]> {
    const rows = await repo.listRegistrationRows(this.db);
    const deploymentRows = await repo.deploymentsOf(
      this.db,
      rows.map((row) => row.registration.id),
    );
    return rows.map(({ registration, school }) => ({
      id: registration.id,
      school,
      issuer: registration.issuer,
      clientId: registration.clientId,
      loginUrl: registration.loginUrl,
      tokenUrl: registration.tokenUrl,
      jwksUrl: registration.jwksUrl,
      deployments: deploymentRows
        .filter((deployment) => deployment.registrationId === registration.id)
        .map((deployment) => deployment.deploymentId),
      acceptNewDeployments: registration.acceptNewDeployments,
      frameOrigins: registration.frameOrigins,
      createdAt: registration.createdAt.toISOString(),
    }));
  }

  async removePlatform(rawInput: RemovePlatformInput): Promise<RegistrationView> {
    const parsed = removePlatformInput.safeParse(rawInput);
    if (!parsed.success) throw errors.badRequest(`Invalid removal: ${describeZodError(parsed.error)}.`);
    const input = parsed.data;
    const row =
      'id' in input
        ? await repo.findRegistrationRowById(this.db, input.id)
        : await repo.findRegistrationRow(this.db, input.issuer, input.clientId);
    if (!row) throw errors.registrationNotFound();
    const view = (await this.listPlatforms()).find((registration) => registration.id === row.id);
    await repo.deleteRegistration(this.db, row.id);
    this.forgetCached();
    await this.platforms.removePlatform(row.issuer, row.clientId);
    this.logger.info({ registrationId: row.id, issuer: row.issuer }, 'registration removed');
    if (!view) throw errors.registrationNotFound();
    return view;
  }

  /**
   * The registration a login or launch speaks for. Without a client id (some platforms omit it at
   * login) the issuer must identify exactly one registration.
   */
  async findForLaunch(
    issuer: string,
    clientId: string | undefined,
  ): Promise<RegistrationForLaunch | undefined> {
    const found = await this.launchCache.read(`launch:${issuer}\n${clientId ?? ''}`, async () => {
      let row;
      if (clientId !== undefined) {
        row = await repo.findRegistrationRow(this.db, issuer, clientId);
      } else {
        const candidates = await repo.registrationRowsByIssuer(this.db, issuer);
        row = candidates.length === 1 ? candidates[0] : undefined;
      }
      return row ? this.toLaunchView(row) : undefined;
    });
    return refuseInactive(found);
  }

  /** The school a verified launch belongs to (every page after the launch asks). */
  async schoolOf(
    issuer: string,
    clientId: string,
  ): Promise<{ id: string; name: string; timeZone: string; sandbox: boolean } | undefined> {
    return this.launchCache.read(`school:${issuer}\n${clientId}`, () =>
      repo.schoolOfRegistration(this.db, issuer, clientId),
    );
  }

  /**
   * The school of a session after its launch, while the session may still act: its registration and
   * deployment active and its school there. Read from the launch cache, so an operator's change is
   * seen at once here and within LAUNCH_CACHE_TTL_MS on every other instance; refused otherwise.
   */
  async schoolOfActiveLaunch(launch: {
    issuer: string;
    clientId: string;
    deploymentId: string;
  }): Promise<{ id: string; name: string; timeZone: string; sandbox: boolean }> {
    const { issuer, clientId, deploymentId } = launch;
    const standing = await this.launchCache.read(
      `standing:${issuer}\n${clientId}\n${deploymentId}`,
      async () => {
        const registration = await repo.findRegistrationRow(this.db, issuer, clientId);
        if (!registration) return undefined;
        return {
          registrationActive: registration.active,
          deploymentDeactivated: await repo.isDeploymentDeactivated(this.db, registration.id, deploymentId),
          school: await repo.schoolOfRegistration(this.db, issuer, clientId),
        };
      },
    );
    if (!standing?.school) throw errors.launchInactive();
    if (!standing.registrationActive || standing.deploymentDeactivated)
      throw forSchool(errors.launchInactive(), standing.school.id);
    return standing.school;
  }

  async findForLaunchById(id: string): Promise<RegistrationForLaunch | undefined> {
    const found = await this.launchCache.read(`id:${id}`, async () => {
      const row = await repo.findRegistrationRowById(this.db, id);
      return row ? this.toLaunchView(row) : undefined;
    });
    return refuseInactive(found);
  }

  /**
   * Records a deployment first seen in a verified launch; true when it was new. A deployment an
   * operator deactivated is not new: its launch is refused even when new deployments are accepted.
   */
  async recordDeployment(registrationId: string, deploymentId: string): Promise<boolean> {
    if (await repo.isDeploymentDeactivated(this.db, registrationId, deploymentId)) {
      const registration = await repo.findRegistrationRowById(this.db, registrationId);
      const refusal = errors.unknownDeployment(`Deployment ${deploymentId} was deactivated by the operator.`);
      throw registration ? forSchool(refusal, registration.schoolId) : refusal;
    }
    const added = await repo.insertDeployments(this.db, registrationId, [deploymentId], 'launch');
    if (added > 0) {
      this.forgetCached();
      this.logger.warn({ registrationId, deploymentId }, 'new deployment recorded from a launch');
    }
    return added > 0;
  }

  /**
   * The operator console's changes to a registration of `schoolId` (activate or deactivate it; accept
   * new deployments or not). Refused as not found when it is not that school's; launches see the
   * change at once in this process and within LAUNCH_CACHE_TTL_MS on the others.
   */
  async updateRegistration(
    target: { schoolId: string; registrationId: string },
    flags: { active?: boolean; acceptNewDeployments?: boolean },
  ): Promise<void> {
    const changed = await repo.setRegistrationFlags(this.db, target, flags);
    if (changed === 0) throw errors.registrationNotFound('No such registration for this school.');
    this.forgetCached();
    this.logger.info({ ...target, ...flags }, 'registration changed by the operator');
  }

  /** Approves (activates) or deactivates a deployment of a registration of `schoolId`. */
  async setDeploymentActive(
    target: { schoolId: string; registrationId: string; deploymentId: string },
    active: boolean,
  ): Promise<void> {
    const changed = await this.db.transaction(async (tx) => {
      const registration = await repo.findRegistrationRowById(tx, target.registrationId);
      if (!registration || registration.schoolId !== target.schoolId) return 0;
      return repo.setDeploymentActive(tx, target, active);
    });
    if (changed === 0) throw errors.registrationNotFound('No such deployment for this school.');
    this.forgetCached();
    this.logger.info({ ...target, active }, 'deployment changed by the operator');
  }

  /** Which LMS origins may frame each school's pages (tenants.frames), read afresh at most every 10 s. */
  async frameAncestors(): Promise<FrameAncestors> {
    const now = Date.now();
    if (this.frameCache && now - this.frameCache.at < FRAME_CACHE_MS) return this.frameCache.ancestors;
    const ancestors = new FrameAncestors(await repo.allFrameSources(this.db));
    this.frameCache = { at: now, ancestors };
    return ancestors;
  }

  /**
   * Refuses an issuer registered for another school than `school` when the LMS presenting it is
   * not the one registered (other sign-in or key endpoints): a registration through a school's link
   * must not claim another school's LMS. One LMS serving several schools under one issuer (Canvas
   * Cloud's `https://canvas.instructure.com`, a hosted Moodle) presents the same endpoints, cannot
   * sign for a fake one, and gets a client id of its own for each school, so it is allowed. The
   * operator frees a taken issuer with `platform remove`.
   */
  async assertIssuerFree(
    platform: { issuer: string; loginUrl: string; jwksUrl: string },
    school: string,
  ): Promise<void> {
    const normalized = platform.issuer.trim().replace(/\/+$/, '');
    const owners = await repo.schoolsOfIssuer(this.db, normalized);
    const other = owners.find(
      (owner) =>
        owner.name !== school.trim() &&
        (owner.loginUrl !== platform.loginUrl || owner.jwksUrl !== platform.jwksUrl),
    );
    if (other) {
      throw errors.registrationIssuerTaken(
        `The LMS names the issuer ${normalized}, which is registered for another school with other endpoints, so nothing was registered.`,
      );
    }
  }

  /**
   * A registration, deployment or school changed: launches read them afresh. The service calls it
   * after its own changes; whoever changes them another way in this process calls it too.
   */
  forgetCached(): void {
    this.frameCache = undefined;
    this.launchCache.forget();
  }

  private async toLaunchView(row: NonNullable<Awaited<ReturnType<typeof repo.findRegistrationRow>>>) {
    const deploymentRows = (await repo.deploymentsOf(this.db, [row.id])).filter((d) => d.active);
    return {
      active: row.active,
      id: row.id,
      schoolId: row.schoolId,
      schoolName: (await repo.schoolName(this.db, row.schoolId)) ?? '',
      issuer: row.issuer,
      clientId: row.clientId,
      loginUrl: row.loginUrl,
      jwksUrl: row.jwksUrl,
      acceptNewDeployments: row.acceptNewDeployments,
      deployments: deploymentRows.map((deployment) => deployment.deploymentId),
    };
  }
}
