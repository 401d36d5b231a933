/** The Tidemark extension's own store and report tiles, as the UI scenarios read them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { openStore } from '../../src/core/store';
import type { StoreApi } from '../../src/core/store/api';
import { formatValue } from '../../src/core/units';
import type { Session } from './harness/session';

/** The store's path (X.db); its journal (X.db.journal) may be all that exists on disk yet. */
export function storeFile(s: Session): string | undefined {
  const dir = path.join(s.workspace.dir, '.tidemark');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => /\.db(\.journal)?$/.test(f)) : undefined;
  return file && path.join(dir, file.replace(/\.journal$/, ''));
}

/** Reads the store as it is on disk now (the extension keeps writing to it). */
export async function withStore<T>(db: string, read: (store: StoreApi) => Promise<T>): Promise<T> {
  const store = await openStore(db);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/**
 * What the Overview tiles must show: the store's latest values on main, formatted, in the order
 * the workspace's tidemark.json lists the metrics.
 */
export async function expectedTiles(db: string, workspace: string): Promise<Record<string, string>> {
  const order = Object.keys((JSON.parse(readFileSync(path.join(workspace, 'tidemark.json'), 'utf8')) as { metrics: object }).metrics);
  return withStore(db, async (store) => {
    const units = new Map((await store.definitions()).map((d) => [d.id, d.unit]));
    const latest = new Map((await store.latest({ ref: 'main' })).map((l) => [l.metric, formatValue(l.value, units.get(l.metric))]));
    return Object.fromEntries(order.filter((id) => latest.has(id)).map((id) => [id, latest.get(id)!]));
  });
}

/** The report's Overview tiles: metric id → the value it shows. */
export async function tileValues(frame: Frame): Promise<Record<string, string>> {
  return frame.$$eval('.tile', (tiles) => Object.fromEntries(tiles.map((t) => [(t as HTMLElement).dataset.metric!, t.querySelector('.tile-value')!.textContent!])));
}
