import type { Express } from 'express';

/**
 * The slice of ltijs 5.9.9 the plugin contract test drives. ltijs ships no types, so this is the
 * small typed view a test needs, nothing more.
 */
export interface LtijsPlatform {
  platformName(): Promise<string>;
  platformKid(): Promise<string>;
  platformPublicKey(): Promise<string>;
  platformAuthConfig(): Promise<{ method: string; key: string }>;
  platformActive(active?: boolean): Promise<boolean>;
}

export interface LtijsPlatformRegistration {
  url: string;
  clientId: string;
  name?: string;
  authenticationEndpoint?: string;
  accesstokenEndpoint?: string;
  authConfig?: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; key: string };
}

export interface LtijsProvider {
  app: Express;
  setup(
    encryptionKey: string,
    database: { plugin: unknown },
    options: Record<string, unknown>,
  ): LtijsProvider;
  deploy(options: { serverless: boolean; silent: boolean }): Promise<true>;
  close(options: { silent: boolean }): Promise<true>;
  registerPlatform(platform: LtijsPlatformRegistration): Promise<LtijsPlatform>;
  getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
  getAllPlatforms(): Promise<LtijsPlatform[]>;
  deletePlatform(url: string, clientId: string): Promise<true>;
}

/** A new, independent ltijs Provider (the package exports a singleton; its constructor makes more). */
export function loadLtijsProvider(): LtijsProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ltijs = require('ltijs') as { Provider: { constructor: new () => LtijsProvider } };
  const Provider = ltijs.Provider.constructor;
  return new Provider();
}

/** Runs `work`, then removes the SIGINT listeners it added (ltijs' `deploy` installs one). */
export async function withoutNewSigintListeners<T>(work: () => Promise<T>): Promise<T> {
  const before = new Set(process.listeners('SIGINT'));
  try {
    return await work();
  } finally {
    for (const listener of process.listeners('SIGINT')) {
      if (!before.has(listener)) process.removeListener('SIGINT', listener);
    }
  }
}
