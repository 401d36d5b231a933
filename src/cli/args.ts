/**
 * Strict flag parsing on node:util's parseArgs: every flag must be declared, string flags need
 * a value, nothing is given twice. A mistake on the command line is a usage error, never a
 * silent default. (parseArgs runs non-strict with tokens, so each mistake gets our message.)
 */
import { parseArgs as parseTokens } from 'node:util';
import { UsageError } from './errors';

export type OptionKind = 'string' | 'boolean';
export type FlagValue = string | boolean | string[];

export interface ParsedArgs {
  flags: Record<string, FlagValue>;
  positionals: string[];
}

export function parseArgs(argv: string[], options: Record<string, OptionKind>): ParsedArgs {
  const declared = Object.fromEntries(Object.entries(options).map(([name, type]) => [name, { type }]));
  const { tokens } = parseTokens({
    args: argv,
    options: { ...declared, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const { name, rawName } = token;
    if (rawName === '-h') {
      flags.help = true;
      continue;
    }
    const kind = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!kind || !rawName.startsWith('--')) throw new UsageError(`unknown option ${rawName}`);
    if (Object.hasOwn(flags, name)) throw new UsageError(`--${name} is given more than once`);
    if (kind === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    // A following flag is not a value: `--base --json` forgot the base.
    if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`);
    }
    flags[name] = token.value;
  }
  return { flags, positionals };
}
