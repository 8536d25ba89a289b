import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors } from 'jose';
import { errors } from '../shared/errors';

/**
 * The LMSs' signing keys, fetched once and kept (jose's remote key set): a launch signed with a
 * key we hold costs no request; a `kid` we do not hold makes one refetch (at most one per
 * `cooldownMs` per LMS, so tokens naming random kids cannot make us hammer the LMS), which is how
 * a platform's key rotation is picked up. Keys are parsed once into key objects.
 */
export interface PlatformKeysOptions {
  /** How long a fetched key set is trusted before it is fetched again. Default 10 min. */
  maxAgeMs?: number;
  /** Least time between two fetches of one LMS's keys. Default 1 s. */
  cooldownMs?: number;
  /** How long a fetch may take. Default 5 s. */
  timeoutMs?: number;
}

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

export class PlatformKeys {
  private readonly sets = new Map<string, RemoteKeySet>();

  constructor(private readonly options: PlatformKeysOptions = {}) {}

  /** The key that signed a token with this header, from the LMS's key set at `jwksUrl`. */
  async keyFor(jwksUrl: string, header: { alg: string; kid?: string }): Promise<KeyObject> {
    if (!header.kid) throw errors.launchInvalid('The id token names no signing key (kid).');
    try {
      return (await this.setFor(jwksUrl)({ alg: header.alg, kid: header.kid })) as KeyObject;
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey) {
        throw errors.launchInvalid('The id token is signed with a key (kid) the LMS does not publish.');
      }
      if (error instanceof joseErrors.JWKSMultipleMatchingKeys) {
        throw errors.launchInvalid('The LMS publishes several keys with the id token’s kid.');
      }
      throw errors.launchInvalid(
        `The LMS’s signing keys could not be read from ${jwksUrl} (${describe(error)}); the LMS administrator can check that this address answers.`,
      );
    }
  }

  private setFor(jwksUrl: string): RemoteKeySet {
    let set = this.sets.get(jwksUrl);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUrl), {
        cacheMaxAge: this.options.maxAgeMs ?? 10 * 60_000,
        cooldownDuration: this.options.cooldownMs ?? 1_000,
        timeoutDuration: this.options.timeoutMs ?? 5_000,
      });
      this.sets.set(jwksUrl, set);
    }
    return set;
  }
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWKSTimeout) return 'no answer in time';
  if (error instanceof joseErrors.JWKSInvalid) return 'the answer is not a key set';
  if (error instanceof joseErrors.JOSEError) return error.code;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'the request failed';
}
