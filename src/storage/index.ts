export {
  databaseTarget,
  isUniqueViolation,
  openDatabase,
  queryRows,
  type Database,
  type DatabaseTarget,
  type Db,
  type Tx,
  type Queryable,
} from './storage.db';
export { DataDirOpenError, restrictModes, secureDataDir } from './storage.data-dir';
export { runMigrations, migrationsApplied } from './storage.migrate';
export * as tables from './storage.schema';
export { preparedStatements } from './storage.prepared';
export { whileDatabaseReturns } from './storage.retry';
export type { ClientStore } from './storage.schema';
