import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonForScriptElement, renderStandaloneHtml } from '../../../src/core/report/standaloneHtml';
import type { StandaloneSnapshot } from '../../../src/shared/protocol';

const hostile = ['</script><script>alert(1)</script>', '<!--', ']]>', 'a & b', 'line\u2028sep\u2029', '"><img src=x>'];

test('jsonForScriptElement: no character that can end a script element or start markup, same value back', () => {
  const json = jsonForScriptElement({ values: hostile });
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(json), { values: hostile });
});

test('renderStandaloneHtml: CSP hashes match the inlined script and styles; a script-closing string in the bundle is defused', async () => {
  const { createHash } = await import('node:crypto');
  const snapshot = {
    meta: { metrics: [], folderName: '</title><script>x</script>', currentBranch: 'main', referenceBranch: 'main', branches: [], generatedAt: 0, standalone: true },
    navigate: {},
    overview: { summary: { runs: 0, branches: 0, lastRun: null, ok: 0, partial: 0, never: 0 }, headRef: 'main', baseline: { ref: 'main', build: null, explanation: 'none yet' }, tiles: [] },
    metrics: [],
    runs: [],
    runIds: [],
    values: [],
    failures: [],
    compares: [],
  } satisfies StandaloneSnapshot;
  const html = renderStandaloneHtml(snapshot, { script: 'console.log("</script>")', css: 'body{}' });
  const script = /<script>([\s\S]*?)<\/script>\n<\/body>/.exec(html)![1];
  assert.equal(script, 'console.log("<\\/script>")');
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const csp = /content="(default-src[^"]+)"/.exec(html)![1];
  assert.ok(csp.includes(`script-src ${hash(script)}`));
  for (const [, style] of html.matchAll(/<style>([\s\S]*?)<\/style>/g)) assert.ok(csp.includes(hash(style)), 'every inline style is allowed by hash');
  assert.ok(html.includes('<title>Tidemark report · &lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>'));
  assert.equal((html.match(/<script/g) ?? []).length, 2, 'the JSON element and the app, nothing injected');
});
