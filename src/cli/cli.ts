/**
 * The `tidemark` command line without the process around it: argv in, exit code out, text
 * through the given writers. main.ts binds it to the real process.
 */
import { parseArgs } from './args';
import { COMMON_HELP, COMMON_OPTIONS, createContext, type CliCommand, type ContextIo } from './context';
import { actionableMessage, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, UsageError } from './errors';
import { commands, type CommandEntry } from './registry';
import { version } from '../../package.json';

export function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'tidemark: track your project\'s own metrics over time',
    '',
    'Usage: tidemark <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `tidemark <command> --help` for the options of a command.',
    'Exit codes: 0 ok, 1 unexpected error (or `check` found a failing rule), 2 invalid config or usage, 3 `collect --strict` with failures, 4 sharing failed (publish, pull, sync), 130 interrupted.',
  ].join('\n');
}

export function commandHelp(command: CliCommand): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    ...(command.details?.length ? ['', ...command.details] : []),
    '',
    'Common options:',
    ...COMMON_HELP.map((line) => `  ${line}`),
  ].join('\n');
}

function hasHelpFlag(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

export async function runCli(argv: string[], io: ContextIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(`${overview()}\n`);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${overview()}\n`);
    return EXIT_OK;
  }
  if (name === '--version') {
    io.stdout(`${version}\n`);
    return EXIT_OK;
  }
  const entry: CommandEntry | undefined = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`tidemark: unknown command "${name}"\n\n${overview()}\n`);
    return EXIT_USAGE;
  }
  const { command } = await entry.load();
  if (hasHelpFlag(rest)) {
    io.stdout(`${commandHelp(command)}\n`);
    return EXIT_OK;
  }

  let handle: ReturnType<typeof createContext> | undefined;
  try {
    const { flags, positionals } = parseArgs(rest, { ...COMMON_OPTIONS, ...command.options });
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`);
    if (positionals.length < min) throw new UsageError('missing argument');
    handle = createContext(flags, positionals, io);
    return await command.run(handle.ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tidemark ${command.name}: ${error.message}\n`);
      if (error.showUsage) io.stderr(`Usage: ${command.usage}\nRun \`tidemark ${command.name} --help\` for details.\n`);
      return EXIT_USAGE;
    }
    if (io.signal.aborted) {
      io.stderr(`tidemark ${command.name}: interrupted\n`);
      return EXIT_INTERRUPTED;
    }
    const actionable = actionableMessage(error, handle?.ctx.dbPath ?? '');
    if (actionable) {
      io.stderr(`tidemark ${command.name}: ${actionable.message}\n`);
      return actionable.exitCode;
    }
    const verbose = rest.includes('--verbose');
    const text = error instanceof Error ? ((verbose ? error.stack : error.message) ?? error.message) : String(error);
    io.stderr(`tidemark ${command.name}: unexpected error: ${text}\n`);
    if (!verbose) io.stderr('Run again with --verbose for details.\n');
    return EXIT_UNEXPECTED;
  } finally {
    await handle?.dispose();
  }
}
