import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** A school (tenant). Everything a school owns hangs off its id. */
export const schools = pgTable('schools', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An LMS registration of the tool (issuer + client id). It belongs to exactly one school. */
export const registrations = pgTable(
  'registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'restrict' }),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    loginUrl: text('login_url').notNull(),
    tokenUrl: text('token_url').notNull(),
    jwksUrl: text('jwks_url').notNull(),
    /** Origins allowed to frame the tool for this registration (CSP frame-ancestors). */
    frameOrigins: jsonb('frame_origins')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    acceptNewDeployments: boolean('accept_new_deployments').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('registrations_issuer_client_id_key').on(table.issuer, table.clientId)],
);

/** Deployment ids known for a registration; launches from any other deployment are refused. */
export const deployments = pgTable(
  'deployments',
  {
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registrations.id, { onDelete: 'cascade' }),
    deploymentId: text('deployment_id').notNull(),
    source: text('source', { enum: ['manual', 'launch'] })
      .notNull()
      .default('manual'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.registrationId, table.deploymentId] })],
);

/**
 * One OIDC login in flight: the state and the nonce this tool sent, bound to the registration and
 * the target link. Consumed (deleted) by the launch that answers it.
 */
export const ltiLoginStates = pgTable(
  'lti_login_states',
  {
    state: text('state').primaryKey(),
    nonce: text('nonce').notNull(),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registrations.id, { onDelete: 'cascade' }),
    targetLinkUri: text('target_link_uri').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('lti_login_states_expires_at_idx').on(table.expiresAt)],
);

/**
 * ltijs' own storage (platforms, tool keys, id/context tokens, nonces, states, access tokens),
 * kept by our ltijs database plugin. `doc` holds the document as ltijs sees it; for the encrypted
 * collections it holds the index fields in clear and the sealed payload in `sealed`.
 */
export const ltijsDocuments = pgTable(
  'ltijs_documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    collection: text('collection').notNull(),
    doc: jsonb('doc').$type<Record<string, unknown>>().notNull(),
    sealed: text('sealed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [
    index('ltijs_documents_collection_doc_idx').using('gin', table.doc),
    index('ltijs_documents_collection_idx').on(table.collection),
    index('ltijs_documents_expires_at_idx').on(table.expiresAt),
    uniqueIndex('ltijs_documents_nonce_key')
      .on(table.collection, sql`(${table.doc}->>'nonce')`)
      .where(sql`${table.collection} = 'nonce'`),
    uniqueIndex('ltijs_documents_state_key')
      .on(table.collection, sql`(${table.doc}->>'state')`)
      .where(sql`${table.collection} = 'state'`),
  ],
);
