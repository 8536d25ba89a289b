import type { AsyncLocalStorage } from 'node:async_hooks';
import type { KeyObject } from 'node:crypto';
import type { LtijsDatabasePlugin } from './lti.plugin';

/** The LMS key our checks resolved for the launch being verified (see `withLaunchKey`). */
export interface LaunchKey {
  issuer: string;
  clientId: string;
  key: KeyObject;
}

/**
 * ltijs fetches the LMS's key set over HTTP and converts the key on every launch when a platform's
 * auth config is `JWK_SET`. Our checks already resolved the token's key from a kept key set, so
 * during that launch the platform record ltijs reads carries it as `RSA_KEY` (a parsed key
 * object, which ltijs hands to jsonwebtoken as is): ltijs still verifies the signature, with no
 * request and no key parsing. Outside a launch the stored record is returned unchanged.
 */
export function withLaunchKey(
  plugin: LtijsDatabasePlugin,
  scope: AsyncLocalStorage<LaunchKey>,
): LtijsDatabasePlugin {
  const get: LtijsDatabasePlugin['Get'] = async (encryptionKey, collection, query) => {
    const found = await plugin.Get(encryptionKey, collection, query);
    const launch = scope.getStore();
    if (collection !== 'platform' || !launch || found === false) return found;
    return found.map((doc) =>
      doc.platformUrl === launch.issuer && doc.clientId === launch.clientId
        ? { ...doc, authConfig: { method: 'RSA_KEY', key: launch.key } }
        : doc,
    );
  };
  return new Proxy(plugin, {
    get(target, property, receiver) {
      if (property === 'Get') return get;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
