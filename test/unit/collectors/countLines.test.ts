import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countCodeLines } from '../../../src/core/collect/collectors/countLines';
import { findLanguage, languageOf, languageOfShebang, LANGUAGES, needsShebang } from '../../../src/core/collect/collectors/languages';

function count(id: string, lines: string[]): number {
  const language = findLanguage(id);
  assert.ok(language, id);
  return countCodeLines(lines.join('\n'), language);
}

test('TypeScript: blank lines, line and block comments are not code; code around comments is', () => {
  assert.equal(
    count('typescript', [
      '// header',
      '',
      '/* a block',
      '   over lines */',
      'const a = 1; // trailing',
      '/* lead */ const b = 2;',
      'const c = 3; /* open',
      'still comment */',
      '   ',
      '/** doc */',
      'export { a, b, c };',
    ]),
    4,
  );
});

test('comment markers inside strings are code, escaped quotes do not end a string', () => {
  assert.equal(count('javascript', ['const url = "http://x.org/*";', "const s = 'it\\'s // not a comment';", 'const t = `a', '// inside a template literal', '`;']), 5);
  assert.equal(count('python', ['x = "# not a comment"', '# comment', 's = """', '# inside a docstring', '"""']), 4);
  assert.equal(count('sql', ["SELECT '--not', 'it''s' -- real comment", '-- only comment', '/* c */']), 1);
});

test('Python, Shell and YAML: # comments; shell # inside a word is code', () => {
  assert.equal(count('python', ['#!/usr/bin/env python', 'import os', '  # indented', 'print(1)  # trailing']), 2);
  assert.equal(count('shell', ['#!/bin/sh', 'echo ${#x}', 'echo a#b', '  # comment']), 2);
  assert.equal(count('yaml', ['# top', 'key: value # c', 'url: "http://x#y"', '']), 2);
});

test('Rust block comments nest; HTML and XML use <!-- -->; CSS /* */; Lua --[[ ]]', () => {
  assert.equal(count('rust', ['/* outer /* inner */ still comment */', 'fn main() {}', "fn f<'a>(x: &'a str) {} // lifetimes"]), 2);
  assert.equal(count('html', ['<!-- a', 'b -->', '<p>it\'s <!-- c --> here</p>', '<!-- x --><br>']), 2);
  assert.equal(count('xml', ['<?xml version="1.0"?>', '<!-- c -->', '<a/>']), 2);
  assert.equal(count('css', ['/* c */', 'a { color: red; }', '']), 1);
  assert.equal(count('lua', ['--[[ block', 'still ]]', '-- line', 'print(1)']), 1);
});

test('Go, Java, C, C++, C#, Ruby: each language table works', () => {
  assert.equal(count('go', ['package main', '// c', 'var s = `raw', '// in raw string', '`']), 4);
  assert.equal(count('java', ['/**', ' * doc', ' */', 'class A {}']), 1);
  assert.equal(count('c', ['#include <stdio.h>', "char c = '\"'; // quote char", 'int x; /* */']), 3);
  assert.equal(count('cpp', ['int main() { return 0; } // ok']), 1);
  assert.equal(count('csharp', ['// c', 'var s = "/* no */";']), 1);
  assert.equal(count('ruby', ['# c', 'puts "#{x}"', '=begin', 'doc', '=end', 'x = 1']), 2);
});

test('CRLF line endings count the same as LF', () => {
  const ts = findLanguage('typescript')!;
  assert.equal(countCodeLines('a;\r\n// c\r\n\r\nb;\r\n', ts), 2);
});

test('files map to languages by extension and by name; unknown kinds are not counted', () => {
  assert.equal(languageOf('src/a.tsx')?.id, 'typescript');
  assert.equal(languageOf('lib/x.PY')?.id, 'python');
  assert.equal(languageOf('Dockerfile')?.id, 'docker');
  assert.equal(languageOf('docs/readme.md'), undefined);
  assert.equal(languageOf('.gitignore'), undefined);
  assert.equal(findLanguage('C#')?.id, 'csharp');
  const ids = LANGUAGES.map((l) => l.id);
  assert.equal(new Set(ids).size, ids.length, 'language ids are unique');
});

test('a #! line tells the language of a script without an extension', () => {
  assert.equal(languageOfShebang('#!/bin/bash\necho'), findLanguage('shell'));
  assert.equal(languageOfShebang('#!/usr/bin/env python3\n'), findLanguage('python'));
  assert.equal(languageOfShebang('#!/usr/bin/env -S node --no-warnings\n'), findLanguage('javascript'));
  assert.equal(languageOfShebang('#!/usr/bin/perl\n'), undefined);
  assert.equal(languageOfShebang('echo no shebang'), undefined);
  assert.equal(needsShebang('bin/tool'), true);
  assert.equal(needsShebang('Makefile'), false);
  assert.equal(needsShebang('notes.txt'), false);
});
