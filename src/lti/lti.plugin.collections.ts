import { canonicalJson } from './lti.plugin.repo';

/**
 * What each ltijs collection is, for the plugin (`lti.plugin.ts`): which hold secrets, how long
 * documents live, which fields are unique, which are launch sessions found by key, which may be
 * kept in memory or read from a cache.
 */

type Document = Record<string, unknown>;

export const LTIJS_COLLECTIONS = [
  'idtoken',
  'contexttoken',
  'platform',
  'platformStatus',
  'privatekey',
  'publickey',
  'accesstoken',
  'nonce',
  'state',
] as const;
export type LtijsCollection = (typeof LTIJS_COLLECTIONS)[number];

/** Collections holding key material or tokens, and the only fields they may keep in clear. */
export const SEALED_INDEX_FIELDS: Partial<Record<LtijsCollection, readonly string[]>> = {
  privatekey: ['kid', 'platformUrl', 'clientId'],
  publickey: ['kid', 'platformUrl', 'clientId'],
  accesstoken: ['platformUrl', 'clientId', 'scopes'],
};

/** Lifetimes of the Mongo original (nonce comes from the options); absent = never expires. */
export const LIFETIME_SECONDS: Partial<Record<LtijsCollection, number>> = {
  state: 600,
  accesstoken: 3600,
  idtoken: 24 * 3600,
  contexttoken: 24 * 3600,
};

/** Fields under a unique index (see storage.schema.ts). */
export const UNIQUE_FIELD: Partial<Record<LtijsCollection, string>> = { nonce: 'nonce', state: 'state' };

/**
 * ltijs' launch sessions: written on every launch (Replace) and read on every request after it
 * (Get), always by these fields. Each row carries them as `doc_key` (unique per collection), so a
 * Replace by exactly these fields is one upsert and such a Get one index lookup. Other queries
 * take the general path, which gives the same answers.
 */
export const KEY_FIELDS: Partial<Record<LtijsCollection, readonly string[]>> = {
  idtoken: ['iss', 'clientId', 'deploymentId', 'user'],
  contexttoken: ['contextId', 'user'],
};

/** The key of a document or query of a keyed collection; undefined for other shapes or collections. */
export function docKeyOf(
  collection: LtijsCollection,
  fields: Document,
  exactly: boolean,
): string | undefined {
  const keyFields = KEY_FIELDS[collection];
  if (!keyFields) return undefined;
  if (exactly && (Object.keys(fields).length !== keyFields.length || keyFields.some((f) => !(f in fields))))
    return undefined;
  return canonicalJson(keyFields.map((field) => fields[field] ?? null));
}

/** Collections that may be kept in process memory (`memoryCollections`). */
export type EphemeralCollection = 'nonce' | 'state';

/** Collections whose reads may be cached (`readCacheMs`): they change only when a registration does. */
export const CACHEABLE: readonly LtijsCollection[] = ['platform', 'platformStatus'];
