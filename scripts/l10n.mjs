#!/usr/bin/env node
// Gathers every localisable message of the extension into l10n/bundle.l10n.json, the English
// bundle translators start from (a translation is l10n/bundle.l10n.<locale>.json, keyed alike).
// A message is the literal first argument of `vscode.l10n.t(...)` or of the pure modules'
// `l10n.t(...)` (src/shared/l10n.ts: src/extension's pure view models, src/core's status vocabulary
// and the report webview under webview/, whose panel gets the bundle from the host). `--check`
// writes nothing and fails when the bundle is not current.
//   node scripts/l10n.mjs [--check]      (npm run l10n)
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = path.join(root, 'l10n', 'bundle.l10n.json');

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `l10n.t` or `vscode.l10n.t` (whatever the namespace import is called). */
function isL10nT(callee) {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const target = callee.expression;
  if (ts.isIdentifier(target)) return target.text === 'l10n';
  return ts.isPropertyAccessExpression(target) && target.name.text === 'l10n';
}

export function extractMessages() {
  const messages = new Map();
  const problems = [];
  for (const file of ['src', 'webview'].flatMap((dir) => sources(path.join(root, dir)))) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('l10n.t(')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isCallExpression(node) && isL10nT(node.expression)) {
        const arg = node.arguments[0];
        const where = `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
          if (!messages.has(arg.text)) messages.set(arg.text, where);
        } else {
          problems.push(`${where}: l10n.t needs a literal message (a computed one cannot be translated)`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, problems };
}

const { messages, problems } = extractMessages();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const bundle = Object.fromEntries([...messages.keys()].sort().map((m) => [m, m]));
const text = `${JSON.stringify(bundle, null, 2)}\n`;
if (process.argv.includes('--check')) {
  const current = existsSync(bundlePath) ? readFileSync(bundlePath, 'utf8') : '';
  if (current !== text) {
    const had = current ? Object.keys(JSON.parse(current)) : [];
    const missing = Object.keys(bundle).filter((m) => !had.includes(m));
    const unused = had.filter((m) => !(m in bundle));
    console.error(`l10n/bundle.l10n.json is not current: run npm run l10n.\nmissing: ${JSON.stringify(missing)}\nunused: ${JSON.stringify(unused)}`);
    process.exit(1);
  }
  console.log(`l10n/bundle.l10n.json is current (${messages.size} messages)`);
} else {
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, text);
  console.log(`wrote l10n/bundle.l10n.json (${messages.size} messages)`);
}
