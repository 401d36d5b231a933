// `npm run demo -- --screenshot FILE` (after its build steps): the demo starts, shows Tidemark and
// saves the picture of the report showing the history it recorded with the CLI.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { runDemo } from './harness/demo';
import { screenshotDir } from './harness/workbench';

it('the demo saves a screenshot of Tidemark in code-server', async () => {
  const file = path.join(screenshotDir, 'demo.png');
  rmSync(file, { force: true });
  const result = await runDemo(['--screenshot', file]);
  // The history the demo recorded with the CLI is the history the extension's report shows.
  assert.ok(result.recordedRuns >= 5, `the demo recorded ${result.recordedRuns} runs`);
  assert.equal(result.reportRuns, String(result.recordedRuns));
  // The picture is Compare with the branch's broken budget.
  assert.match(result.compareCheck ?? '', /fail/i);
  assert.ok(existsSync(file), `${file} was not written`);
  // A PNG, and more than an empty page's worth of bytes.
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 20_000, `${file} is only ${png.length} bytes`);
});
