// The sample workspace every scenario and the demo open: its tidemark.json must stay valid for the
// real config parser, and its history must give the metrics different values on the two branches.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../src/core/config';
import { FEATURE_BRANCH, MAIN_BRANCH, makeSampleWorkspace, type SampleWorkspace } from '../fixtures/makeSampleWorkspace';

describe('sample workspace', () => {
  let tmp: string;
  let ws: SampleWorkspace;
  const onCommitHeads: string[] = [];
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'tidemark-sample-'));
    ws = await makeSampleWorkspace(path.join(tmp, 'ws'), {
      onCommit: (_commit, dir) => {
        onCommitHeads.push(execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim());
      },
    });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.dir, encoding: 'utf8' }).trim();
  const metricValues = (ref: string) => {
    git('checkout', '--quiet', ref);
    const { metrics } = JSON.parse(readFileSync(path.join(ws.dir, 'tidemark.json'), 'utf8'));
    return Object.fromEntries(
      Object.entries(metrics as Record<string, { command: string }>).map(([id, m]) => [id, execFileSync('sh', ['-c', m.command], { cwd: ws.dir, encoding: 'utf8' }).trim()]),
    );
  };

  it('has a tidemark.json that the real config parser accepts', () => {
    const result = parseConfig(readFileSync(path.join(ws.dir, 'tidemark.json'), 'utf8'));
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it('has diverged main and feature branches, each commit handed to onCommit on its branch', () => {
    assert.equal(git('rev-list', '--count', MAIN_BRANCH), '3');
    assert.equal(git('rev-list', '--count', FEATURE_BRANCH), '4');
    assert.equal(git('merge-base', MAIN_BRANCH, FEATURE_BRANCH), ws.commits[1].sha);
    assert.deepEqual(onCommitHeads, ws.commits.map((c) => c.branch));
  });

  it('gives every metric a different value on the two branch heads', () => {
    const onMain = metricValues(MAIN_BRANCH);
    const onFeature = metricValues(FEATURE_BRANCH);
    for (const id of Object.keys(onMain)) assert.notEqual(onMain[id], onFeature[id], `${id} is ${onMain[id]} on both branches`);
  });
});
