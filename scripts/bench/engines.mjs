// The two reference stores the Tidemark store is measured against, running the very same
// validation, write and query code (the compiled StoreDb and queries modules):
//  - naive sql.js: the database in memory, the whole DB exported + written + fsync'd after every write;
//  - native SQLite (better-sqlite3, WAL, synchronous=FULL): durable per transaction.
import { closeSync, copyFileSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export async function openNaive(ctx, file) {
  const { loadSqlJs } = ctx.out('src/core/store/sqljs.js');
  const { StoreDb } = ctx.out('src/core/store/database.js');
  const { migrate } = ctx.out('src/core/store/schema.js');
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(file));
  migrate(db);
  const store = new StoreDb(db);
  return {
    store,
    recordBuild(input) {
      const { op } = store.prepareBuild(input);
      store.transaction(() => store.apply(op));
      const bytes = db.export();
      const tmp = `${file}.tmp`;
      const fd = openSync(tmp, 'w');
      writeSync(fd, bytes);
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, file);
    },
    close: () => store.close(),
  };
}

export function openNative(ctx, snapshot, file) {
  const Database = ctx.require('better-sqlite3');
  const { StoreDb } = ctx.out('src/core/store/database.js');
  if (snapshot) {
    copyFileSync(snapshot, file);
    const fd = openSync(file, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  }
  const native = new Database(file);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = FULL');
  const statements = new Map();
  const prepared = (sql) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = native.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  let changes = 0;
  // A StoreDb whose primitives are better-sqlite3's: same prepareBuild/apply/definitions code.
  const store = Object.create(StoreDb.prototype);
  Object.assign(store, {
    appliedDefinitions: new Map(),
    db: { run: (sql) => native.exec(sql) },
    all: (sql, params = []) => prepared(sql).raw(true).all(...params),
    one: (sql, params = []) => prepared(sql).raw(true).get(...params),
    each: (sql, params, visit) => {
      for (const row of prepared(sql).raw(true).iterate(...params)) if (!visit(row)) break;
    },
    run: (sql, params = []) => {
      changes = prepared(sql).run(...params).changes;
    },
    changes: () => changes,
  });
  return {
    native,
    store,
    recordBuild(input) {
      const { op } = store.prepareBuild(input);
      store.transaction(() => store.apply(op));
    },
    close: () => native.close(),
  };
}
