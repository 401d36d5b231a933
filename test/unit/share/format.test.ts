/** The note format: what publish writes, and how untrusted lines are read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRun, MAX_LINE_BYTES, parseNote } from '../../../src/core/share/format';
import type { SharedRun } from '../../../src/core/store/api';
import { problemsOf, validConfig } from '../config/helpers';
import { configJsonSchema } from '../../../src/core/config/jsonSchema';

const COMMIT = 'a'.repeat(40);

function run(runId: string, extra: Partial<SharedRun> = {}): SharedRun {
  return {
    commitSha: COMMIT,
    branch: 'main',
    runId,
    runNumber: 7,
    event: 'ci',
    timestamp: '2026-11-30T10:00:00.000Z',
    definitions: [
      { id: 'size', type: 'numeric', unit: 'bytes', direction: 'lower-is-better', name: 'Bundle size', description: null },
      { id: 'lint', type: 'label', unit: null, direction: null, name: null, description: null },
      { id: 'flaky', type: 'numeric', unit: null, direction: null, name: null, description: null },
    ],
    outcomes: [
      { metric: 'size', status: 'ok', value: 1234, durationMs: null, message: null },
      { metric: 'lint', status: 'ok', value: 'clean', durationMs: null, message: null },
      { metric: 'flaky', status: 'timeout', value: null, durationMs: 60000, message: 'timed out after 60 s' },
    ],
    ...extra,
  };
}

test('a run is one canonical line per value; it reads back whole, with units, direction, event and its failure', () => {
  const text = encodeRun(run('r1'), 'tidemark');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]) as Record<string, unknown>;
  // Unentropy's canonical fields first, Tidemark's after.
  assert.deepEqual(Object.keys(first).slice(0, 8), ['metric_id', 'timestamp', 'value_label', 'commit_sha', 'branch', 'source', 'run_id', 'run_number']);
  assert.equal(encodeRun(run('r1'), 'tidemark'), text, 'the same run always gives the same bytes');
  const parsed = parseNote(COMMIT, `\n${text}\n${encodeRun(run('r2'), 'tidemark')}`);
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.runs.length, 2);
  const r1 = parsed.runs[0];
  assert.equal(r1.event, 'ci');
  assert.equal(r1.timestamp, '2026-11-30T10:00:00.000Z');
  assert.deepEqual(
    r1.outcomes.map((o) => [o.metric, o.status, o.value]),
    [['lint', 'ok', 'clean'], ['size', 'ok', 1234], ['flaky', 'timeout', null]],
  );
  const size = r1.definitions.find((d) => d.id === 'size')!;
  assert.deepEqual([size.unit, size.direction, size.name], ['bytes', 'lower-is-better', 'Bundle size']);
});

test('a run without any value writes nothing (a failure alone stays local)', () => {
  assert.equal(encodeRun(run('r3', { outcomes: [{ metric: 'flaky', status: 'failed', value: null, durationMs: 5, message: 'x' }] }), 'tidemark'), '');
});

test('hostile and malformed lines are skipped with the commit and line; their whole run goes, other runs stay', () => {
  const good = encodeRun(run('good'), 'tidemark').trimEnd().split('\n');
  const victim = encodeRun(run('victim'), 'tidemark').trimEnd().split('\n');
  const tampered = JSON.parse(victim[1]) as Record<string, unknown>;
  tampered.branch = 'main\u001b[31m\u202e';
  const lines = [
    good[0],
    '{not json',
    victim[0],
    JSON.stringify(tampered),
    good[1],
    JSON.stringify({ ...JSON.parse(good[0]), run_id: 'dirty', dirty: true }),
    JSON.stringify({ ...JSON.parse(good[0]), run_id: 'save', event: 'save' }),
    JSON.stringify({ ...JSON.parse(good[0]), run_id: 'other', commit_sha: 'b'.repeat(40) }),
    JSON.stringify({ ...JSON.parse(good[0]), run_id: 'future', tidemark: 2 }),
    JSON.stringify({ ...JSON.parse(good[0]), run_id: 'huge', value_label: 'x'.repeat(MAX_LINE_BYTES) }),
    JSON.stringify({ ...JSON.parse(good[1]), run_id: 'nan', value_numeric: '1e999' }),
    JSON.stringify({ ...JSON.parse(good[0]), run_id: 'partial' }),
    JSON.stringify({ ...JSON.parse(good[0]), run_id: 'proto', __proto__: { polluted: true }, metric_id: '__proto__' }),
  ];
  const parsed = parseNote(COMMIT, lines.join('\n'));
  assert.deepEqual(parsed.runs.map((r) => r.runId), ['good']);
  assert.ok(parsed.problems.every((p) => p.commit === COMMIT));
  const byLine = new Map(parsed.problems.map((p) => [p.line, p.message]));
  assert.match(byLine.get(2)!, /not valid JSON/);
  assert.match(byLine.get(4)!, /"branch" contains control characters/);
  assert.match(byLine.get(6)!, /"dirty" must be false/);
  assert.match(byLine.get(7)!, /"event" must be one of manual, ci, import/);
  assert.match(byLine.get(8)!, /"commit_sha" must be the commit the note is attached to/);
  assert.match(byLine.get(9)!, /format version 2 is newer than this Tidemark reads/);
  assert.match(byLine.get(10)!, /longer than 8192 bytes/);
  assert.match(byLine.get(11)!, /"value_numeric" must be a finite number/);
  assert.match(byLine.get(12)!, /run partial skipped: .* 1 value lines but says it has 2/);
  assert.match(byLine.get(13)!, /metric_id/);
  assert.ok(parsed.problems.some((p) => /run victim skipped: another of its lines is bad/.test(p.message)), 'never half a run');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('tidemark.json "share": defaults, and every mistake reported at once', () => {
  const base = '"metrics": { "a": { "type": "numeric", "command": "echo 1" } }';
  assert.deepEqual(validConfig(`{ ${base}, "share": {} }`).share, { enabled: true, ref: 'refs/notes/tidemark', remote: 'origin', events: ['ci', 'manual', 'backfill'] });
  const problems = problemsOf(`{ ${base}, "share": { "ref": "refs/heads/main", "remote": "--upload-pack=x", "events": ["save"], "extra": 1 } }`);
  assert.deepEqual(
    problems.map((p) => p.path),
    ['share.ref', 'share.remote', 'share.events.0', 'share.extra'].sort((x, y) => problems.findIndex((p) => p.path === x) - problems.findIndex((p) => p.path === y)),
  );
  assert.equal(problems.length, 4);
  const schema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown>; description?: string }> };
  assert.ok(schema.properties.share.properties?.ref, 'the editor\'s JSON Schema knows "share"');
  assert.match(schema.properties.share.description ?? '', /git notes/);
});
