/**
 * Prepared statements of one sql.js database, each prepared once and reused: the store
 * (database.ts) and the migrations that run before it exists (parts.ts) read and write through
 * this. `free()` releases the statements; the database itself is the owner's to close.
 */
import type { Database, SqlValue, Statement } from 'sql.js';

export type Row = SqlValue[];

export class SqlStatements {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  all(sql: string, params: SqlValue[] = []): Row[] {
    const stmt = this.statement(sql);
    const rows: Row[] = [];
    try {
      stmt.bind(params);
      while (stmt.step()) rows.push(stmt.get());
    } finally {
      stmt.reset();
    }
    return rows;
  }

  /** Steps through the rows until `visit` returns false. */
  each(sql: string, params: SqlValue[], visit: (row: Row) => boolean): void {
    const stmt = this.statement(sql);
    try {
      stmt.bind(params);
      while (stmt.step()) if (!visit(stmt.get())) break;
    } finally {
      stmt.reset();
    }
  }

  one(sql: string, params: SqlValue[] = []): Row | undefined {
    const stmt = this.statement(sql);
    try {
      stmt.bind(params);
      return stmt.step() ? stmt.get() : undefined;
    } finally {
      stmt.reset();
    }
  }

  run(sql: string, params: SqlValue[] = []): void {
    const stmt = this.statement(sql);
    try {
      stmt.run(params);
    } finally {
      stmt.reset();
    }
  }

  /** Frees every prepared statement (the database stays open). */
  free(): void {
    for (const stmt of this.statements.values()) stmt.free();
    this.statements.clear();
  }
}
