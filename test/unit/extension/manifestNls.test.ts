// package.json's user-visible strings live in package.nls.json (VS Code and vsce substitute
// every "%key%"): each key resolves, none is unused, and no user-visible field is left literal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// out/test/unit/extension -> the repository root.
const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, unknown>;

const PLACEHOLDER = /^%([^%\s]+)%$/;

/** Every string of a JSON value with its path of keys and indexes (a setting's key holds dots). */
function strings(value: unknown, path: string[]): { path: string[]; at: string; text: string }[] {
  if (typeof value === 'string') return [{ path, at: path.join(' > '), text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

/**
 * The manifest fields VS Code or the Marketplace show to a user, as dotted path patterns ("*":
 * any one key or index). Ids, when clauses, icons, paths and settings' defaults are not shown
 * as prose and stay literal.
 */
const USER_VISIBLE = [
  'displayName',
  'description',
  'capabilities.*.description',
  'contributes.commands.*.title',
  'contributes.commands.*.shortTitle',
  'contributes.commands.*.category',
  'contributes.viewsContainers.*.*.title',
  'contributes.views.*.*.name',
  'contributes.views.*.*.contextualTitle',
  'contributes.colors.*.description',
  'contributes.viewsWelcome.*.contents',
  'contributes.configuration.title',
  'contributes.configuration.properties.*.description',
  'contributes.configuration.properties.*.markdownDescription',
  'contributes.configuration.properties.*.enumDescriptions.*',
  'contributes.configuration.properties.*.markdownEnumDescriptions.*',
  'contributes.configuration.properties.*.deprecationMessage',
  'contributes.configuration.properties.*.markdownDeprecationMessage',
  'contributes.walkthroughs.*.title',
  'contributes.walkthroughs.*.description',
  'contributes.walkthroughs.*.steps.*.title',
  'contributes.walkthroughs.*.steps.*.description',
  'contributes.walkthroughs.*.steps.*.media.altText',
].map((p) => p.split('.'));

const matches = (pattern: string[], path: string[]) => pattern.length === path.length && pattern.every((p, i) => p === '*' || p === path[i]);
const isVisible = (path: string[]) => USER_VISIBLE.some((p) => matches(p, path));
const all = strings(manifest, []);

test('every %key% of package.json has its English text in package.nls.json', () => {
  const missing = all.flatMap(({ at, text }) => {
    const key = PLACEHOLDER.exec(text)?.[1];
    return key !== undefined && typeof nls[key] !== 'string' ? [`${at}: %${key}%`] : [];
  });
  assert.deepEqual(missing, []);
  for (const [key, text] of Object.entries(nls)) assert.ok(typeof text === 'string' && text.trim() !== '', `${key} is a non-empty string`);
});

test('package.nls.json has no key that package.json does not use', () => {
  const used = new Set(all.flatMap(({ text }) => PLACEHOLDER.exec(text)?.[1] ?? []));
  assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), []);
});

test('no user-visible manifest string is left literal', () => {
  const visible = all.filter(({ path }) => isVisible(path));
  // The patterns find the fields: a manifest that lost them would pass for the wrong reason.
  for (const field of ['title', 'category', 'name', 'contents', 'markdownDescription', 'capabilities']) {
    assert.ok(visible.some(({ path }) => path.includes(field)), `some ${field} field is checked`);
  }
  assert.deepEqual(visible.filter(({ text }) => !PLACEHOLDER.test(text)).map(({ at, text }) => `${at}: ${text}`), []);
});

test('no other manifest field holds a %key%', () => {
  // A placeholder outside the substituted prose (an id, a when clause) would reach VS Code as "%key%".
  const elsewhere = all.filter(({ path, text }) => PLACEHOLDER.test(text) && !isVisible(path));
  assert.deepEqual(elsewhere.map(({ at, text }) => `${at}: ${text}`), []);
});
