/**
 * Every column that holds a value sealed with the SecretBox, and the associated data it was sealed
 * with (GCM authenticates it: a value opens only with the very same text). The texts mirror the
 * capabilities that seal them; `test/integration/keys/rotate.test.ts` writes each kind through its
 * own code and opens it after a rotation, so a change there that is not made here fails that test.
 * A new sealed column belongs in this list.
 */
export interface SealedColumn {
  table: string;
  /** The row's primary key (the batches page through it). */
  key: string;
  column: string;
  /** Other columns the associated data needs. */
  extra: string[];
  associatedData(row: Record<string, unknown>): string;
}

const zoomConnection = (column: string, field: string): SealedColumn => ({
  table: 'zoom_connections',
  key: 'id',
  column,
  extra: [],
  // zoom/zoom.tokens.ts `sealFor`
  associatedData: (row) => `zoom:${String(row.id)}:${field}`,
});

const zoomOauthState = (column: string, part: string): SealedColumn => ({
  table: 'zoom_oauth_states',
  key: 'state_hash',
  column,
  extra: [],
  // zoom/zoom.connect.service.ts, a "Connect Zoom" in flight
  associatedData: (row) => `zoom-state:${String(row.state_hash)}:${part}`,
});

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  zoomConnection('access_token_sealed', 'access'),
  zoomConnection('refresh_token_sealed', 'refresh'),
  zoomConnection('s2s_client_secret_sealed', 's2s-secret'),
  zoomConnection('webhook_secret_sealed', 'webhook-secret'),
  zoomOauthState('code_verifier_sealed', 'verifier'),
  zoomOauthState('return_ltik_sealed', 'ltik'),
  zoomOauthState('connect_link_sealed', 'link'),
  {
    // lti/lti.plugin.ts: ltijs' sealed documents (platform keys, tool keys, access tokens)
    table: 'ltijs_documents',
    key: 'id',
    column: 'sealed',
    extra: ['collection'],
    associatedData: (row) => `ltijs:${String(row.collection)}`,
  },
];

export const sealedColumnName = (column: SealedColumn) => `${column.table}.${column.column}`;
