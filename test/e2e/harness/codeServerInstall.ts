/**
 * Installs the pinned code-server once into `.vscode-test/code-server-<version>/` and reuses it.
 *
 * A plain `npm install code-server` cannot work offline: its postinstall refuses to run as root,
 * `@vscode/ripgrep` downloads a binary from GitHub and node-pty's build prompts through npx. So
 * the install runs every step itself: packages without scripts, Debian's `rg` linked where
 * VS Code looks for it, then targeted `npm rebuild`s of the native modules.
 *
 * The install happens in a `.partial-<pid>` folder that is renamed into place only after it is
 * complete and its marker written, so an interrupted install is never reused (its leftovers are
 * removed on the next run) and two concurrent installers cannot mix their files.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths';
import { requireSystemPackages } from './systemPackages';

export const CODE_SERVER_VERSION = '4.100.3';
const MARKER = '.tidemark-install-complete';
/** The marker records what the native modules were built for; a different Node means a rebuild. */
const markerText = `code-server ${CODE_SERVER_VERSION} node-abi ${process.versions.modules}\n`;

export const codeServerDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = path.join(codeServerDir, 'node_modules/code-server/out/node/entry.js');

/** Native modules that must have been built for code-server to start and open a workbench. */
const nativeModules = [
  'node_modules/argon2/lib/binding/napi-v3/argon2.node',
  'node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node',
  'node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
  'node_modules/code-server/lib/vscode/node_modules/native-watchdog/build/Release/watchdog.node',
];

function isInstalled(): boolean {
  const marker = path.join(codeServerDir, MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8') === markerText;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes half-done installs left by killed runs (their installer process is gone). */
function removeAbandonedInstalls(): void {
  const prefix = `code-server-${CODE_SERVER_VERSION}.partial-`;
  for (const name of existsSync(cacheDir) ? readdirSync(cacheDir) : []) {
    if (name.startsWith(prefix) && !processAlive(Number(name.slice(prefix.length)))) {
      rmSync(path.join(cacheDir, name), { recursive: true, force: true });
    }
  }
}

/** Returns the path of code-server's entry script, installing code-server first if needed. */
export function ensureCodeServer(log: (line: string) => void = (l) => console.log(l)): string {
  if (isInstalled()) return codeServerEntry;
  requireSystemPackages(['ripgrep', 'kerberos', 'buildTools']);
  mkdirSync(cacheDir, { recursive: true });
  removeAbandonedInstalls();

  const work = `${codeServerDir}.partial-${process.pid}`;
  const logFile = path.join(cacheDir, `code-server-install.log`);
  const logFd = openSync(logFile, 'w');
  const started = Date.now();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), codeServerDir) || codeServerDir} (once, about a minute; log: ${logFile})`);

  const run = (what: string, cwd: string, cmd: string, args: string[]): void => {
    log(`  code-server install: ${what}`);
    writeFileSync(logFd, `\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
    const r = spawnSync(cmd, args, {
      cwd,
      stdio: ['ignore', logFd, logFd],
      // npm_config_yes answers npx's prompt in node-pty's build; CI=true keeps npm non-interactive.
      env: { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', CI: 'true' },
    });
    if (r.status !== 0) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`code-server install failed at "${what}" (exit ${r.status ?? r.signal}).\nLast lines of ${logFile}:\n${tail}`);
    }
  };

  try {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    // Our own package.json keeps npm from walking up and installing into the repository.
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'tidemark-code-server-cache', private: true }) + '\n');
    run('download code-server', work, 'npm', ['install', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`]);

    const vscode = path.join(work, 'node_modules/code-server/lib/vscode');
    run('install VS Code dependencies', vscode, 'npm', ['install', '--omit=dev', '--ignore-scripts']);
    const rgBin = path.join(vscode, 'node_modules/@vscode/ripgrep/bin');
    mkdirSync(rgBin, { recursive: true });
    symlinkSync(spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim(), path.join(rgBin, 'rg'));
    run('build native modules (node-pty, spdlog, kerberos, ...)', vscode, 'npm', ['rebuild', '--foreground-scripts']);
    // What code-server's own postinstall does: VS Code looks for unpacked modules in node_modules.asar.
    symlinkSync('node_modules', path.join(vscode, 'node_modules.asar'));
    symlinkSync('code-linux.sh', path.join(vscode, 'bin/remote-cli/code-server'));
    symlinkSync('browser-linux.sh', path.join(vscode, 'bin/helpers/browser.sh'));
    run('install built-in extension dependencies', path.join(vscode, 'extensions'), 'npm', ['install', '--omit=dev', '--ignore-scripts']);
    run('build argon2', work, 'npm', ['rebuild', 'argon2']);

    const missing = nativeModules.filter((m) => !existsSync(path.join(work, m)));
    if (missing.length) throw new Error(`code-server install finished without building: ${missing.join(', ')} (see ${logFile})`);
    writeFileSync(path.join(work, MARKER), markerText);
    // Another run may have finished first: keep its install, which nothing is half-way through.
    if (!isInstalled()) {
      rmSync(codeServerDir, { recursive: true, force: true });
      renameSync(work, codeServerDir);
    }
  } finally {
    closeSync(logFd);
    rmSync(work, { recursive: true, force: true });
  }
  log(`code-server ${CODE_SERVER_VERSION} installed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return codeServerEntry;
}

if (require.main === module) {
  try {
    console.log(ensureCodeServer());
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
