/**
 * `@collect deps [--dev]`: declared direct dependencies, summed over the manifests found in
 * the working directory: package.json, requirements.txt (requirements-dev.txt with --dev),
 * go.mod (direct requires), Cargo.toml ([dependencies], [dev-dependencies] with --dev),
 * pyproject.toml (PEP 621 `[project] dependencies` and Poetry's `[tool.poetry.dependencies]`;
 * with --dev also optional-dependencies, PEP 735 dependency-groups and Poetry's dev groups).
 */
import { parseArgs } from './args';
import type { CollectorContext } from './context';
import { CollectorError } from './errors';
import { jsonErrorPosition, readWorkspaceText } from './safeRead';
import { parseToml, type TomlTable, type TomlValue } from './toml';

type Counter = (text: string, dev: boolean, file: string) => number;

const MANIFESTS: [file: string, count: Counter, devOnly?: boolean][] = [
  ['package.json', countPackageJson],
  ['requirements.txt', countRequirements],
  ['requirements-dev.txt', countRequirements, true],
  ['go.mod', countGoMod],
  ['Cargo.toml', countCargo],
  ['pyproject.toml', countPyproject],
];

export async function deps(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('deps', argv, { switches: ['dev'] });
  if (args.positionals.length) throw new CollectorError(`@collect deps: unexpected argument "${args.positionals[0]}"`);
  const dev = args.switches.has('dev');
  let found = 0;
  let total = 0;
  for (const [file, count, devOnly] of MANIFESTS) {
    let text: string;
    try {
      text = await readWorkspaceText(ctx, file);
    } catch (error) {
      if (error instanceof CollectorError && / does not exist$/.test(error.message)) continue;
      throw error;
    }
    found++;
    if (!devOnly || dev) total += count(text, dev, file);
  }
  if (found === 0) throw new CollectorError(`@collect deps: no manifest in the workspace folder (looked for ${MANIFESTS.map(([f]) => f).join(', ')})`);
  return String(total);
}

function countPackageJson(text: string, dev: boolean, file: string): number {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    throw new CollectorError(`${file} is not valid JSON: ${jsonErrorPosition(error)}`);
  }
  if (!pkg || typeof pkg !== 'object') throw new CollectorError(`${file} is not a JSON object`);
  const sections = ['dependencies', 'optionalDependencies', ...(dev ? ['devDependencies'] : [])];
  const names = new Set<string>();
  for (const section of sections) {
    const deps = (pkg as Record<string, unknown>)[section];
    if (deps && typeof deps === 'object') Object.keys(deps).forEach((n) => names.add(n));
  }
  return names.size;
}

/** One requirement per line; comments, options (-r, -e, --index-url) and blanks are not dependencies. */
export function countRequirements(text: string): number {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('-')).length;
}

/** `require x v` and `require ( ... )` blocks, without `// indirect` ones. */
export function countGoMod(text: string): number {
  let count = 0;
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      else if (line !== '' && !line.startsWith('//') && !/\/\/\s*indirect\b/.test(line)) count++;
    } else if (/^require\s*\($/.test(line)) {
      inBlock = true;
    } else if (/^require\s+\S/.test(line) && !/\/\/\s*indirect\b/.test(line)) {
      count++;
    }
  }
  return count;
}

/** Keys of [dependencies] (and [dev-dependencies]), including target-specific tables and [dependencies.name] tables. */
export function countCargo(text: string, dev: boolean): number {
  const wanted = dev ? ['dependencies', 'dev-dependencies'] : ['dependencies'];
  const names = new Set<string>();
  let table: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s#.*$/, '').trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const parts = header[1].trim().split('.');
      table = null;
      // [dependencies], [target.'cfg(x)'.dependencies] or [dependencies.serde]
      const kindIndex = parts.findIndex((p) => wanted.includes(p.trim()));
      if (kindIndex >= 0 && kindIndex === parts.length - 1) table = parts.slice(0, kindIndex + 1).join('.');
      else if (kindIndex >= 0 && kindIndex === parts.length - 2) names.add(`${parts.slice(0, kindIndex + 1).join('.')}:${parts[kindIndex + 1].trim()}`);
      continue;
    }
    const key = /^([A-Za-z0-9_-]+|"[^"]+")\s*=/.exec(line);
    if (table && key) names.add(`${table}:${key[1].replace(/"/g, '')}`);
  }
  return names.size;
}

/** PEP 503 normalised name of a PEP 508 requirement ("Requests[socks]>=2; python_version>'3'" -> "requests"). */
function requirementName(requirement: string): string | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement);
  return m ? m[1].toLowerCase().replace(/[-_.]+/g, '-') : undefined;
}

const table = (v: TomlValue | undefined): TomlTable | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

/**
 * Distinct requirement names. PEP 621: `[project] dependencies`, with --dev also every
 * `[project.optional-dependencies]` extra and PEP 735 `[dependency-groups]` (not their
 * `{include-group}` entries). Poetry: `[tool.poetry.dependencies]` without `python`, with --dev
 * also `[tool.poetry.dev-dependencies]` and every `[tool.poetry.group.NAME.dependencies]`.
 * A name in several places counts once.
 */
export function countPyproject(text: string, dev: boolean, file: string): number {
  const doc = parseToml(text, file);
  const names = new Set<string>();
  const addRequirements = (list: TomlValue | undefined, where: string): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new CollectorError(`${file}: ${where} is not an array`);
    for (const item of list) {
      if (typeof item !== 'string') continue; // {include-group = "..."} in dependency-groups
      const name = requirementName(item);
      if (!name) throw new CollectorError(`${file}: ${where} has "${item}", which is not a requirement`);
      names.add(name);
    }
  };
  const addPoetry = (deps: TomlValue | undefined): void => {
    for (const name of Object.keys(table(deps) ?? {})) {
      if (name.toLowerCase() !== 'python') names.add(name.toLowerCase().replace(/[-_.]+/g, '-'));
    }
  };
  const project = table(doc.project);
  addRequirements(project?.dependencies, '[project] dependencies');
  const poetry = table(table(doc.tool)?.poetry);
  addPoetry(poetry?.dependencies);
  if (dev) {
    for (const [extra, list] of Object.entries(table(project?.['optional-dependencies']) ?? {})) addRequirements(list, `[project.optional-dependencies] ${extra}`);
    for (const [group, list] of Object.entries(table(doc['dependency-groups']) ?? {})) addRequirements(list, `[dependency-groups] ${group}`);
    addPoetry(poetry?.['dev-dependencies']);
    for (const group of Object.values(table(poetry?.group) ?? {})) addPoetry(table(group)?.dependencies);
  }
  return names.size;
}
