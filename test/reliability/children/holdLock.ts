// Holds a store's lock for a while, as a long import or snapshot would, and says when it took
// and released it: `node holdLock.js LOCKFILE HOLD_MS MARKER`.
import * as fs from 'node:fs';
import { FileLock } from '../../../src/core/store/lock';

async function main(): Promise<void> {
  const [lockFile, holdMs, marker] = process.argv.slice(2);
  const lock = new FileLock(lockFile, 60_000);
  await lock.acquire();
  fs.appendFileSync(marker, `acquired ${Date.now()} pid ${process.pid}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  fs.appendFileSync(marker, `released ${Date.now()}\n`);
  lock.release();
}

void main();
