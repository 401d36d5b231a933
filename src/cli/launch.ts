/**
 * `dist/cli.js`, the `tidemark` executable: loads the CLI bundle (`dist/cli-main.js`) with V8's
 * code cache, so a command does not parse and compile 0.6 MB of JavaScript on every start.
 *
 * Node 20 has no compile cache of its own for CommonJS (22 has `module.enableCompileCache`), so
 * the bundle is compiled here through `vm.Script` with the cached data from the last run, and the
 * data V8 produces after the command (the functions it compiled by then, with those it was given)
 * is written back when it was missing or rejected, or when this command is not among those that
 * made it: a cache first made by `--help` holds little of what `collect` runs, so the first
 * `collect` adds its functions once. The cache is one file per bundle path and WebAssembly tier
 * (below) in the user's own cache folder; its first line names the node version, bundle size and
 * time, so a rebuilt bundle or another node is never given another's code, and the commands it
 * covers. V8 checks its own version and
 * flags and rejects what does not match; nothing here can make a command fail: any problem with
 * the cache means compiling as before. NODE_DISABLE_COMPILE_CACHE=1 turns it off (node's name).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import * as vm from 'node:vm';
import { optimizeWasm } from './tiering';

// sql.js is WebAssembly: only a large import gains from V8's optimizing tier (tiering.ts). Set
// before the bundle compiles: V8's code cache is only valid under the flags it was made with.
const liftoffOnly = !optimizeWasm(process.argv.slice(2), process.cwd());
if (liftoffOnly) setFlagsFromString('--liftoff-only');

/** Commands a cache names as covered; more (or junk in argv) only means writing the cache again. */
const MAX_COMMANDS = 32;

const bundle = path.join(__dirname, 'cli-main.js');
const source = fs.readFileSync(bundle, 'utf8');
const cache = process.env.NODE_DISABLE_COMPILE_CACHE ? null : cacheFile(bundle, liftoffOnly);
const stamp = cache ? bundleStamp(bundle, source) : [];
const cached = cache ? readCache(cache, stamp) : undefined;
const cachedData = cached?.data;
const command = commandName(process.argv[2]);

const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
const main = new Module(bundle, module);
main.filename = bundle;
main.loaded = true;
wrapper.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, path.dirname(bundle));

if (cache && (!cached || script.cachedDataRejected || !cached.commands.includes(command))) {
  // After the command: the cache then holds the functions it compiled too.
  const commands = cached && !script.cachedDataRejected ? [...cached.commands, command].slice(-MAX_COMMANDS) : [command];
  process.once('exit', () => writeCache(cache, { stamp, commands }, script));
}

/** The command as the cache records it: a subcommand or a leading option (`--help`), anything else one name. */
function commandName(arg: string | undefined): string {
  if (arg === undefined) return '';
  return /^(--?)?[a-z][a-z-]{0,31}$/.test(arg) ? arg : '(other)';
}

/** The user's cache folder for Tidemark (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows). */
function cacheFolder(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'tidemark', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'tidemark');
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'tidemark');
}

/** One cache file per installed bundle and WebAssembly tier (they compile under different V8 flags). */
function cacheFile(file: string, liftoff: boolean): string {
  const id = createHash('sha256').update(file).digest('hex').slice(0, 16);
  return path.join(cacheFolder(), `cli-${id}-${liftoff ? 'liftoff' : 'turbofan'}.v8cache`);
}

/** What the cached data was made from: node, the bundle's size and modification time, and its head and tail. */
function bundleStamp(file: string, text: string): Stamp {
  const st = fs.statSync(file);
  return [process.version, process.arch, st.size, st.mtimeMs, text.length, text.slice(0, 64), text.slice(-64)];
}

type Stamp = (string | number)[];

/** The cache's first line: `{"stamp": [...], "commands": [...]}`. */
interface CacheHeader {
  stamp: Stamp;
  commands: string[];
}

function readCache(file: string, expected: Stamp): { data: Buffer; commands: string[] } | undefined {
  try {
    const data = fs.readFileSync(file);
    const end = data.indexOf(10);
    if (end < 0) return undefined;
    const header = JSON.parse(data.subarray(0, end).toString('utf8')) as { stamp?: unknown; commands?: unknown };
    if (JSON.stringify(header.stamp) !== JSON.stringify(expected) || !Array.isArray(header.commands)) return undefined;
    return { data: data.subarray(end + 1), commands: header.commands.filter((c): c is string => typeof c === 'string') };
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed: a concurrent start reads the old cache or the new one, never half of one. */
function writeCache(file: string, header: CacheHeader, compiled: vm.Script): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), compiled.createCachedData()]), { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the next start compiles without a cache.
    }
  }
}
