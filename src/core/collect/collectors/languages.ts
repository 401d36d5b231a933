/**
 * The languages `@collect loc` knows: how to recognise their files and how their comments and
 * strings look. A file of any other kind is not counted by loc.
 */

export interface Language {
  /** Id used by `--language` (case-insensitive; the name works too). */
  id: string;
  name: string;
  extensions: string[];
  /** Exact file names (no extension), e.g. Dockerfile. */
  fileNames?: string[];
  lineComments: string[];
  blockComments: [open: string, close: string][];
  /** Rust and Swift block comments nest. */
  nestedBlocks?: boolean;
  /** String delimiters; a comment marker inside a string is code. Longest first. */
  strings: string[];
  /** Delimiters whose strings may span lines (template literals, triple quotes, raw strings). */
  multilineStrings?: string[];
  /** `#` starts a comment only at the start of a word (shell: `${#x}`, `a#b` are code). */
  commentNeedsWordStart?: boolean;
  /** Backslash does not escape inside strings (SQL doubles the quote instead). */
  noBackslashEscape?: boolean;
  /** Data rather than code: counted only when named with `--language`. */
  onlyWhenAsked?: boolean;
}

const C_BLOCK: [string, string][] = [['/*', '*/']];
const C_STYLE = { lineComments: ['//'], blockComments: C_BLOCK };

export const LANGUAGES: Language[] = [
  { id: 'typescript', name: 'TypeScript', extensions: ['.ts', '.tsx', '.mts', '.cts'], ...C_STYLE, strings: ['`', '"', "'"], multilineStrings: ['`'] },
  { id: 'javascript', name: 'JavaScript', extensions: ['.js', '.jsx', '.mjs', '.cjs'], ...C_STYLE, strings: ['`', '"', "'"], multilineStrings: ['`'] },
  { id: 'python', name: 'Python', extensions: ['.py', '.pyi'], lineComments: ['#'], blockComments: [], strings: ['"""', "'''", '"', "'"], multilineStrings: ['"""', "'''"] },
  { id: 'go', name: 'Go', extensions: ['.go'], ...C_STYLE, strings: ['`', '"', "'"], multilineStrings: ['`'] },
  // No ' delimiter: it is also a lifetime ('a), which would swallow the rest of the line.
  { id: 'rust', name: 'Rust', extensions: ['.rs'], ...C_STYLE, nestedBlocks: true, strings: ['"'], multilineStrings: ['"'] },
  { id: 'java', name: 'Java', extensions: ['.java'], ...C_STYLE, strings: ['"""', '"', "'"], multilineStrings: ['"""'] },
  { id: 'kotlin', name: 'Kotlin', extensions: ['.kt', '.kts'], ...C_STYLE, nestedBlocks: true, strings: ['"""', '"', "'"], multilineStrings: ['"""'] },
  { id: 'swift', name: 'Swift', extensions: ['.swift'], ...C_STYLE, nestedBlocks: true, strings: ['"""', '"'], multilineStrings: ['"""'] },
  { id: 'c', name: 'C', extensions: ['.c', '.h'], ...C_STYLE, strings: ['"', "'"] },
  { id: 'cpp', name: 'C++', extensions: ['.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx', '.ipp'], ...C_STYLE, strings: ['"', "'"] },
  { id: 'csharp', name: 'C#', extensions: ['.cs'], ...C_STYLE, strings: ['"', "'"] },
  { id: 'php', name: 'PHP', extensions: ['.php'], lineComments: ['//', '#'], blockComments: C_BLOCK, strings: ['"', "'"], multilineStrings: ['"', "'"] },
  { id: 'ruby', name: 'Ruby', extensions: ['.rb', '.rake'], fileNames: ['Rakefile', 'Gemfile'], lineComments: ['#'], blockComments: [['=begin', '=end']], strings: ['"', "'"], commentNeedsWordStart: true },
  { id: 'shell', name: 'Shell', extensions: ['.sh', '.bash', '.zsh'], lineComments: ['#'], blockComments: [], strings: ['"', "'"], multilineStrings: ['"', "'"], commentNeedsWordStart: true },
  { id: 'powershell', name: 'PowerShell', extensions: ['.ps1', '.psm1'], lineComments: ['#'], blockComments: [['<#', '#>']], strings: ['"', "'"], commentNeedsWordStart: true },
  { id: 'lua', name: 'Lua', extensions: ['.lua'], lineComments: ['--'], blockComments: [['--[[', ']]']], strings: ['"', "'"] },
  { id: 'css', name: 'CSS', extensions: ['.css'], lineComments: [], blockComments: C_BLOCK, strings: ['"', "'"] },
  { id: 'scss', name: 'SCSS/Less', extensions: ['.scss', '.sass', '.less'], ...C_STYLE, strings: ['"', "'"] },
  // Apostrophes in markup text are not strings, so no delimiters for markup.
  { id: 'html', name: 'HTML', extensions: ['.html', '.htm'], lineComments: [], blockComments: [['<!--', '-->']], strings: [] },
  { id: 'xml', name: 'XML', extensions: ['.xml', '.xsd', '.xsl', '.xslt', '.svg'], lineComments: [], blockComments: [['<!--', '-->']], strings: [] },
  { id: 'vue', name: 'Vue/Svelte', extensions: ['.vue', '.svelte'], lineComments: ['//'], blockComments: [['<!--', '-->'], ['/*', '*/']], strings: ['`', '"'], multilineStrings: ['`'] },
  { id: 'yaml', name: 'YAML', extensions: ['.yml', '.yaml'], lineComments: ['#'], blockComments: [], strings: ['"', "'"], commentNeedsWordStart: true },
  { id: 'toml', name: 'TOML', extensions: ['.toml'], lineComments: ['#'], blockComments: [], strings: ['"""', "'''", '"', "'"], multilineStrings: ['"""', "'''"] },
  { id: 'json', name: 'JSON', extensions: ['.json'], lineComments: [], blockComments: [], strings: ['"'], onlyWhenAsked: true },
  { id: 'sql', name: 'SQL', extensions: ['.sql'], lineComments: ['--'], blockComments: C_BLOCK, strings: ["'", '"'], multilineStrings: ["'"], noBackslashEscape: true },
  { id: 'make', name: 'Makefile', extensions: ['.mk'], fileNames: ['Makefile', 'GNUmakefile'], lineComments: ['#'], blockComments: [], strings: [] },
  { id: 'docker', name: 'Dockerfile', extensions: ['.dockerfile'], fileNames: ['Dockerfile'], lineComments: ['#'], blockComments: [], strings: [] },
];

const byExtension = new Map<string, Language>();
const byFileName = new Map<string, Language>();
for (const language of LANGUAGES) {
  for (const ext of language.extensions) byExtension.set(ext, language);
  for (const name of language.fileNames ?? []) byFileName.set(name, language);
}

/** Lock files are generated; their lines are nobody's code. */
const LOCK_FILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'Cargo.lock', 'poetry.lock', 'Gemfile.lock', 'composer.lock', 'go.sum', 'uv.lock']);

/** The language of a file by its name, or undefined when loc does not know it (or it is a lock file). */
export function languageOf(relPath: string): Language | undefined {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (LOCK_FILES.has(base)) return undefined;
  const byName = byFileName.get(base);
  if (byName) return byName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? byExtension.get(base.slice(dot).toLowerCase()) : undefined;
}

/** Looks a `--language` value up by id, name or file extension (`ts`, `.py`), case-insensitively. */
export function findLanguage(idOrName: string): Language | undefined {
  const key = idOrName.toLowerCase();
  const extension = key.startsWith('.') ? key : `.${key}`;
  return LANGUAGES.find((l) => l.id === key || l.name.toLowerCase() === key) ?? byExtension.get(extension);
}

const INTERPRETERS: Record<string, string> = { sh: 'shell', bash: 'shell', zsh: 'shell', dash: 'shell', ksh: 'shell', python: 'python', node: 'javascript', ruby: 'ruby', lua: 'lua', php: 'php', pwsh: 'powershell' };

/** True for a file name without an extension, whose language only a `#!` line can tell. */
export function needsShebang(relPath: string): boolean {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  return !base.includes('.') && !byFileName.has(base);
}

/** The language named by a `#!` first line (`#!/bin/bash`, `#!/usr/bin/env python3`), if known. */
export function languageOfShebang(text: string): Language | undefined {
  const m = /^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?/.exec(text);
  if (!m) return undefined;
  const program = (m[1].endsWith('/env') ? (m[2] ?? '') : m[1]).split('/').pop() ?? '';
  const id = INTERPRETERS[program.replace(/[\d.]+$/, '')];
  return id ? LANGUAGES.find((l) => l.id === id) : undefined;
}
