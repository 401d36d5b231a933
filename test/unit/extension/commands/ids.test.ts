// The command id map against package.json (what VS Code shows) and against the registrations
// in src/extension (what runs): every contributed command is registered through the map, none extra.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS, INTERNAL_COMMANDS } from '../../../../src/extension/commands/ids';

// out/test/unit/extension/commands -> the repository root.
const root = path.resolve(__dirname, '../../../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
};
const mapped = new Set<string>(Object.values(COMMANDS));

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [{ file: path.relative(root, full), text: readFileSync(full, 'utf8') }] : [];
  });
}
const extensionSources = sources(path.join(root, 'src', 'extension'));

test('package.json contributes exactly the commands of the map', () => {
  const contributed = pkg.contributes.commands.map((c) => c.command);
  assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  assert.deepEqual(contributed.filter((c) => !mapped.has(c)), [], 'contributed but not in COMMANDS (never registered)');
  assert.deepEqual([...mapped].filter((c) => !contributed.includes(c)), [], 'in COMMANDS but not contributed');
  for (const id of Object.values(INTERNAL_COMMANDS)) assert.ok(!contributed.includes(id), `${id} is internal and must not be contributed`);
});

test('menus name only commands of the map', () => {
  const inMenus = Object.values(pkg.contributes.menus).flatMap((items) => items.map((i) => i.command));
  assert.ok(inMenus.length > 0);
  assert.deepEqual(inMenus.filter((c) => !mapped.has(c)), []);
});

test('every command of the map is registered through it, and no id is spelled out elsewhere', () => {
  const registered = new Set<string>();
  for (const { text } of extensionSources) {
    for (const m of text.matchAll(/registerCommand\(\s*(COMMANDS|INTERNAL_COMMANDS)\.(\w+)/g)) registered.add(`${m[1]}.${m[2]}`);
    // commands/handlers.ts registers a table keyed by the map.
    for (const m of text.matchAll(/\[COMMANDS\.(\w+)\]:\s*\w+/g)) registered.add(`COMMANDS.${m[1]}`);
  }
  const expected = [...Object.keys(COMMANDS).map((k) => `COMMANDS.${k}`), ...Object.keys(INTERNAL_COMMANDS).map((k) => `INTERNAL_COMMANDS.${k}`)];
  assert.deepEqual(expected.filter((k) => !registered.has(k)), [], 'in the map but never registered');
  assert.deepEqual([...registered].filter((k) => !expected.includes(k)), [], 'registered under a name the map lacks');

  const ids = [...mapped, ...Object.values(INTERNAL_COMMANDS)];
  const literal = extensionSources
    .filter(({ file }) => !file.endsWith(path.join('commands', 'ids.ts')))
    .flatMap(({ file, text }) => ids.filter((id) => text.includes(`'${id}'`) || text.includes(`"${id}"`)).map((id) => `${file}: ${id}`));
  assert.deepEqual(literal, [], 'command ids written as literals instead of COMMANDS.x');
  assert.ok(!extensionSources.some(({ text }) => /registerCommand\(\s*['"]/.test(text)), 'a command is registered by a literal id');
});
