import assert from 'node:assert/strict';
import { test } from 'node:test';
import { originOf } from '../../../../src/extension/views/origin';

test('a run says where it came from: this machine, CI through notes, a teammate, an import', () => {
  assert.deepEqual(originOf({ event: 'save' }), { short: 'on save', long: 'a run on save on this machine' });
  assert.deepEqual(originOf({ event: 'save' }), originOf({ event: 'save', source: 'local' }));
  assert.equal(originOf({ event: 'manual', source: 'local' }).long, 'a run by hand on this machine');
  assert.equal(originOf({ event: 'import', source: 'local' }).long, 'an imported run');
  assert.equal(originOf({ event: 'save', source: 'notes' }).long, "a teammate's run on save, from the team's history (git notes)");
  assert.equal(originOf({ event: 'ci', source: 'local' }).short, 'CI · here');
  assert.equal(originOf({ event: 'ci', source: 'notes' }).short, 'CI · team');
  assert.match(originOf({ event: 'ci', source: 'notes' }).long, /CI run, from the team's history \(git notes\)/);
  assert.equal(originOf({ event: 'manual', source: 'notes' }).short, 'teammate · manual');
  assert.match(originOf({ event: 'backfill', source: 'notes' }).long, /teammate's backfilled run/);
  assert.equal(originOf({ event: 'import', source: 'import' }).short, 'imported');
  assert.equal(originOf({ event: 'ci', source: 'import' }).short, 'imported · CI');
});
