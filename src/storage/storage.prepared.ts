import type { Db } from './storage.db';

/**
 * Statements on a hot path, built by drizzle once per database handle and prepared (on
 * PostgreSQL, named statements: parsed and planned once per connection). `build` makes them with
 * `sql.placeholder`s; the returned function gives the handle's own set.
 */
export function preparedStatements<T>(build: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let statements = made.get(db);
    if (statements === undefined) {
      statements = build(db);
      made.set(db, statements);
    }
    return statements;
  };
}
