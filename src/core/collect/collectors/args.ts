/**
 * Argument parsing shared by the collectors: positionals, flags taking one value per
 * occurrence (repeatable, and comma-separated lists accepted), boolean switches, and `--`
 * after which everything is positional (a path that starts with `--`). On node:util's parseArgs.
 */
import { parseArgs as parseTokens } from 'node:util';
import { CollectorError } from './errors';

export interface CollectorArgs {
  positionals: string[];
  values: Map<string, string[]>;
  switches: Set<string>;
}

export interface ArgSpec {
  /** Flags taking a value, e.g. `language` for `--language ts`. */
  values?: string[];
  /** Flags without a value, e.g. `gzip`. */
  switches?: string[];
}

export function parseArgs(collector: string, argv: string[], spec: ArgSpec): CollectorArgs {
  const valueFlags = new Set(spec.values ?? []);
  const switchFlags = new Set(spec.switches ?? []);
  const options: Record<string, { type: 'string' | 'boolean'; multiple: true }> = {};
  for (const name of valueFlags) options[name] = { type: 'string', multiple: true };
  for (const name of switchFlags) options[name] = { type: 'boolean', multiple: true };
  // Non-strict with tokens, so each mistake gets a message that names the collector.
  const { tokens } = parseTokens({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const result: CollectorArgs = { positionals: [], values: new Map(), switches: new Set() };
  let shortAt = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') result.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    // A single-dash word ("-" aside, already positional) is a value such as a negative number or a path.
    if (!token.rawName.startsWith('--')) {
      if (token.index !== shortAt) result.positionals.push(argv[token.index]);
      shortAt = token.index;
      continue;
    }
    const name = token.name;
    if (switchFlags.has(name)) {
      if (token.value !== undefined) throw new CollectorError(`@collect ${collector}: --${name} takes no value`);
      result.switches.add(name);
    } else if (valueFlags.has(name)) {
      const value = token.value;
      if (value === undefined || value === '') throw new CollectorError(`@collect ${collector}: --${name} needs a value`);
      const list = result.values.get(name) ?? [];
      list.push(...value.split(',').map((v) => v.trim()).filter((v) => v !== ''));
      result.values.set(name, list);
    } else {
      const known = [...valueFlags, ...switchFlags].map((f) => `--${f}`);
      throw new CollectorError(`@collect ${collector}: unknown option --${name}${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    }
  }
  return result;
}

/** The single value of a flag, or undefined; several values are an error. */
export function single(collector: string, args: CollectorArgs, name: string): string | undefined {
  const list = args.values.get(name);
  if (!list || list.length === 0) return undefined;
  if (list.length > 1) throw new CollectorError(`@collect ${collector}: --${name} takes one value (got ${list.join(', ')})`);
  return list[0];
}

/** Checks a flag's value against a closed list. */
export function oneOf<T extends string>(collector: string, flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CollectorError(`@collect ${collector}: --${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}
