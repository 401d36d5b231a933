import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_GIT_SHA } from '../../src/core/types';

test('the no-git commit is 40 zeros', () => {
  assert.match(NO_GIT_SHA, /^0{40}$/);
});
