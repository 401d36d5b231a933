/**
 * `@collect deps [--dev]`: declared direct dependencies, summed over the manifests found in
 * the working directory: package.json, requirements.txt (requirements-dev.txt with --dev),
 * go.mod (direct requires), Cargo.toml ([dependencies], [dev-dependencies] with --dev).
 */
import { parseArgs } from './args';
import type { CollectorContext } from './context';
import { CollectorError } from './errors';
import { jsonErrorPosition, readWorkspaceText } from './safeRead';

type Counter = (text: string, dev: boolean, file: string) => number;

const MANIFESTS: [file: string, count: Counter, devOnly?: boolean][] = [
  ['package.json', countPackageJson],
  ['requirements.txt', countRequirements],
  ['requirements-dev.txt', countRequirements, true],
  ['go.mod', countGoMod],
  ['Cargo.toml', countCargo],
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
  if (found === 0) throw new CollectorError(`@collect deps: no manifest in ${ctx.cwd} (looked for ${MANIFESTS.map(([f]) => f).join(', ')})`);
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
