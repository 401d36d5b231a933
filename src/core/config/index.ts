/**
 * tidemark.json: parse, validate, apply defaults, and report every problem at once with its
 * JSON path and exact position so the CLI can print it and the extension can underline it.
 */
import { readFile } from 'node:fs/promises';
import type { Node } from 'jsonc-parser';
import type { ConfigProblem, ConfigResult, TidemarkConfig } from '../types';
import { dottedPath, nodeAtPath, findProperty, readJsonc, type RangedProblem } from './jsonc';
import { explainIssues, type PlainIssue } from './messages';
import { configSchema, crossKeyIssues } from './schema';
import { resolvePresets, type PresetProblem } from '../presets';
import { jsonShapeProblem, LIMITS } from '../limits';

export const CONFIG_FILE_NAME = 'tidemark.json';

export interface ParseConfigOptions {
  /** When given, an absent `concurrency` becomes this; otherwise it stays absent. */
  availableCores?: number;
}

export function parseConfig(text: string, options: ParseConfigOptions = {}): ConfigResult {
  // A byte order mark is harmless; a space keeps every offset where the editor has it.
  const source = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  // Untrusted input (a pull request can change it): bounded before any recursive parser or
  // schema sees it, so validation stays linear and never overflows the stack.
  const shape = jsonShapeProblem(source, LIMITS.configBytes);
  if (shape) return { ok: false, problems: [wholeFileProblem(`${CONFIG_FILE_NAME} cannot be checked: ${shape}`)] };
  const document = readJsonc(source);
  const crowded = document.syntaxOk ? crowdedObject(document.value) : null;
  if (crowded) return { ok: false, problems: locate(source, [{ path: crowded.path, message: crowded.message, offset: 0, length: 1 }]) };
  const ranged = [...document.problems];
  let config: TidemarkConfig | undefined;

  if (document.syntaxOk && document.root) {
    const root = document.root;
    // Presets ("$ref") are expanded first; the result is validated like hand-written metrics.
    const presets = resolvePresetsInConfig(document.value);
    const result = configSchema.safeParse(presets.value);
    const issues: PlainIssue[] = [
      ...presets.problems.map((p) => ({ ...p, target: 'value' as const })),
      ...(result.success ? [] : explainIssues(result.error.issues, configSchema, presets.value)),
      ...crossKeyIssues(presets.value).map((i) => ({ ...i, target: i.target ?? ('value' as const) })),
    ];
    // Each problem is located in the document; a flood of them is cut to the first ones.
    const shown = issues.slice(0, LIMITS.reportedProblems);
    ranged.push(...shown.map((issue) => rangeOf(issue, root)));
    if (issues.length > shown.length) {
      ranged.push({ path: '', message: `… and ${issues.length - shown.length} more problems not listed`, offset: source.length, length: 0 });
    }
    if (result.success) {
      const { $schema: _editorHint, ...parsed } = result.data;
      config = { ...parsed, concurrency: parsed.concurrency ?? options.availableCores };
      if (config.concurrency === undefined) delete config.concurrency;
    }
  }

  if (ranged.length > 0 || !config) return { ok: false, problems: locate(source, ranged) };
  return { ok: true, config };
}

export async function loadConfig(filePath: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `${filePath} does not exist: create a ${CONFIG_FILE_NAME} with the metrics to track`
        : code === 'EISDIR'
          ? `${filePath} is a directory, not a ${CONFIG_FILE_NAME} file`
          : `cannot read ${filePath}: ${(error as Error).message}`;
    return { ok: false, problems: [{ path: '', message, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, length: 0 }] };
  }
  return parseConfig(text);
}

function wholeFileProblem(message: string): ConfigProblem {
  return { path: '', message, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, length: 0 };
}

/** The first object (iteratively, no recursion) with more keys than LIMITS.objectKeys. */
function crowdedObject(value: unknown): { path: string; message: string } | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    if (entries.length > LIMITS.objectKeys) {
      return { path, message: `${path || 'the top level'} has ${entries.length} entries, more than the ${LIMITS.objectKeys} a ${CONFIG_FILE_NAME} may have` };
    }
    for (const [key, child] of entries) stack.push({ value: child, path: path ? `${path}.${key}` : key });
  }
  return null;
}

/** One line per problem: `tidemark.json:3:14  metrics.size.timeout: "timeout" must be at most 600000 ms (got 900000)`. */
export function formatProblems(file: string, problems: ConfigProblem[]): string {
  return problems.map((p) => `${file}:${p.line}:${p.column}  ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');
}

/** The config with every metric's `$ref` expanded; anything but an object with metrics is left to the schema. */
function resolvePresetsInConfig(value: unknown): { value: unknown; problems: PresetProblem[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('metrics' in value)) return { value, problems: [] };
  const { metrics, problems } = resolvePresets((value as { metrics: unknown }).metrics);
  return { value: { ...value, metrics }, problems };
}

/**
 * What to highlight: an unknown or invalid key is its name, a bad value is the value, and a
 * missing key is the opening brace of the object that lacks it (underlining a whole object
 * would cover everything in it).
 */
function rangeOf(issue: PlainIssue, root: Node): RangedProblem {
  const path = dottedPath(issue.path);
  const { node, exact } = nodeAtPath(root, issue.target === 'value' ? issue.path : issue.path.slice(0, -1));
  if (issue.target === 'key' && exact && node.type === 'object') {
    const keyNode = findProperty(node, String(issue.path[issue.path.length - 1]))?.children?.[0];
    if (keyNode) return { path, message: issue.message, offset: keyNode.offset, length: keyNode.length };
  }
  if (issue.target === 'value' && exact) return { path, message: issue.message, offset: node.offset, length: node.length };
  return { path, message: issue.message, offset: node.offset, length: node.type === 'object' ? 1 : node.length };
}

function locate(text: string, problems: RangedProblem[]): ConfigProblem[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low] + 1 };
  };
  return problems
    .map((p) => {
      const start = position(p.offset);
      const end = position(p.offset + p.length);
      return { path: p.path, message: p.message, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, offset: p.offset, length: p.length };
    })
    .sort((a, b) => a.offset - b.offset || a.length - b.length || a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
}
