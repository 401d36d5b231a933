/**
 * Runs code-server — a real VS Code server with a real extension host — for one test file or
 * the demo: a free loopback port, an isolated profile in a temp folder (`--user-data-dir`,
 * `--extensions-dir`, its own config file), the packaged Tidemark VSIX installed into it.
 *
 *   const server = await startCodeServer({ vsix, trusted: true });
 *   server.workbenchUrl(folder)          URL that opens the folder (or a .code-workspace file) in the workbench
 *   server.extensionLog()                 text of Tidemark's 'Tidemark' log channel
 *   server.extensionHostLog()             the extension host's own log (activation errors land here)
 *   server.extensionStorageDir(folder)    the extension's `context.storageUri` for that folder
 *   await server.stop()                   also done on exit, SIGINT and SIGTERM
 *   await server.exited                   settles if the server ends
 *
 * `trusted: false` starts without `--disable-workspace-trust`, so VS Code asks whether to trust
 * the folder and runs it in Restricted Mode if not.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from './codeServerInstall';
import { extensionId } from './paths';
import { waitFor } from './waitFor';

export interface CodeServerOptions {
  /** Packaged extension to install into the profile before starting. */
  vsix?: string;
  /** false: keep workspace trust on (VS Code asks, Restricted Mode if refused). Default true. */
  trusted?: boolean;
  /** User settings written over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Copy the server's logs here when it stops (e.g. test-results/e2e/logs/<scenario>). */
  keepLogsIn?: string;
}

export interface CodeServer {
  port: number;
  url: string;
  userDataDir: string;
  extensionsDir: string;
  workbenchUrl(folder: string, payload?: Array<[string, string]>): string;
  /** A `vscode-remote://` URI of a path on the server, as the workbench names it. */
  remoteUri(fsPath: string): string;
  extensionLog(): string;
  extensionHostLog(): string;
  extensionStorageDir(folder: string): string;
  /** Settles when the server process ends, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and typing literal, so tests see only what they cause. */
const defaultSettings = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'files.autoSave': 'off',
};

/** Process groups of servers not stopped yet, and the profile clean-ups still due. */
const serverGroups = new Set<number>();
const exitCleanups = new Set<() => void>();
let exitHooksInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Stops every server and removes its profile on exit, SIGINT and SIGTERM (idempotent). */
export function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // Each server runs in its own process group (so it can be killed whole); that also means a
  // terminal's Ctrl-C does not reach it, so these hooks must, even in the middle of a start.
  process.on('exit', () => {
    for (const pid of serverGroups) killGroup(pid, 'SIGKILL');
    for (const cleanup of exitCleanups) cleanup();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** VS Code's string hash (src/vs/base/common/hash.ts): the web workbench's workspace id. */
function vscodeStringHash(s: string): number {
  const step = (val: number, h: number) => ((h << 5) - h + val) | 0;
  let h = step(149417, 0);
  for (let i = 0; i < s.length; i++) h = step(s.charCodeAt(i), h);
  return h;
}

/** Newest log session folder (code-server starts one per server start). */
function newestLogSession(userDataDir: string): string | undefined {
  const logs = path.join(userDataDir, 'logs');
  if (!existsSync(logs)) return undefined;
  const sessions = readdirSync(logs).sort();
  return sessions.length ? path.join(logs, sessions[sessions.length - 1]) : undefined;
}

function readIfExists(file: string | undefined): string {
  return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}

interface StartedServer {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** Settles once the server answers its health check (rejects on the deadline). */
  ready: Promise<void>;
}

/** Starts code-server on a free port; resolves when it answers or has exited, whichever is first. */
async function spawnServer(entry: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = {}): Promise<StartedServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [entry, ...args, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check'],
    // Its own process group, so stopping it also stops the extension host and watchers it forks.
    { detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, ...env } },
  );
  closeSync(logFd);
  if (child.pid) serverGroups.add(child.pid);
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      hasExited = true;
      resolve(code);
    }),
  );
  const ready = waitFor(async () => hasExited || (await healthy(url)), { timeoutMs: 60_000, what: `code-server to answer on ${url}/healthz` }).then(() => {
    if (hasExited) throw new Error('code-server exited while starting');
  });
  // Either it answers, or it exits early (a taken port): the caller decides what to do.
  await Promise.race([ready.catch(() => undefined), exited]);
  return { child, port, url, exited, hasExited: () => hasExited, ready };
}

/** Kills what is left of a server's process group and stops tracking it. */
function forget(server: StartedServer): void {
  if (!server.child.pid) return;
  killGroup(server.child.pid, 'SIGKILL');
  serverGroups.delete(server.child.pid);
}

/**
 * Installs the VSIX with code-server's own `--install-extension` once per VSIX (a few seconds
 * of starting VS Code's CLI) into a folder beside it, then copies that install into each
 * profile, rewriting the paths code-server recorded in `extensions.json`.
 */
function copyInstalledExtension(entry: string, vsix: string, extensionsDir: string): void {
  const { mtimeMs, size } = statSync(vsix);
  const stamp = `${mtimeMs.toFixed(0)}-${size}`;
  const installed = path.join(path.dirname(vsix), `installed-${stamp}`);
  if (!existsSync(path.join(installed, 'extensions.json'))) {
    const work = `${installed}.partial-${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(path.join(work, 'user-data'), { recursive: true });
    const config = path.join(work, 'config.yaml');
    writeFileSync(config, '');
    const args = ['--config', config, '--user-data-dir', path.join(work, 'user-data'), '--extensions-dir', path.join(work, 'extensions')];
    const r = spawnSync(process.execPath, [entry, ...args, '--install-extension', vsix], { encoding: 'utf8' });
    if (r.status !== 0 || !/successfully installed/.test(r.stdout)) {
      rmSync(work, { recursive: true, force: true });
      throw new Error(`installing ${vsix} into code-server failed:\n${r.stdout}${r.stderr}`);
    }
    const extensionsJson = path.join(work, 'extensions', 'extensions.json');
    // Stored with the paths of the folder it was made in; each copy puts in its own.
    writeFileSync(extensionsJson, readFileSync(extensionsJson, 'utf8').split(path.join(work, 'extensions')).join('@EXTENSIONS_DIR@'));
    // Another file of the same run may have finished the same install first: either copy is good.
    try {
      renameSync(path.join(work, 'extensions'), installed);
    } catch (err) {
      if (!existsSync(path.join(installed, 'extensions.json'))) throw err;
    }
    rmSync(work, { recursive: true, force: true });
    // Installs of older VSIXes are of no further use.
    for (const name of readdirSync(path.dirname(vsix))) {
      if (/^installed-[\d-]+$/.test(name) && name !== path.basename(installed)) rmSync(path.join(path.dirname(vsix), name), { recursive: true, force: true });
    }
  }
  cpSync(installed, extensionsDir, { recursive: true });
  const extensionsJson = path.join(extensionsDir, 'extensions.json');
  writeFileSync(extensionsJson, readFileSync(extensionsJson, 'utf8').split('@EXTENSIONS_DIR@').join(extensionsDir));
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = ensureCodeServer();
  installExitHooks();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'tidemark-code-server-'));
  const userDataDir = path.join(profile, 'user-data');
  const extensionsDir = path.join(profile, 'extensions');
  const configFile = path.join(profile, 'config.yaml');
  const serverLog = path.join(profile, 'code-server.log');
  const cleanup = () => {
    exitCleanups.delete(cleanup);
    if (options.keepLogsIn && existsSync(serverLog)) {
      mkdirSync(options.keepLogsIn, { recursive: true });
      cpSync(serverLog, path.join(options.keepLogsIn, 'code-server.log'));
      const session = newestLogSession(userDataDir);
      if (session) cpSync(session, path.join(options.keepLogsIn, 'vscode'), { recursive: true });
    }
    rmSync(profile, { recursive: true, force: true });
  };
  exitCleanups.add(cleanup);
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(configFile, '');
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...defaultSettings, ...options.settings }, null, 2));
  const profileArgs = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (options.vsix) {
    try {
      copyInstalledExtension(entry, options.vsix, extensionsDir);
    } catch (err) {
      cleanup();
      throw err;
    }
  }

  // The port is free when chosen but another process can take it before code-server binds it:
  // then code-server exits with EADDRINUSE and a new port is tried.
  const serverArgs = [...profileArgs, ...(options.trusted === false ? [] : ['--disable-workspace-trust'])];
  let started: StartedServer;
  for (let attempt = 1; ; attempt++) {
    started = await spawnServer(entry, serverArgs, serverLog, options.env);
    if (!started.hasExited()) break;
    const log = readIfExists(serverLog);
    forget(started);
    if (attempt < 3 && log.includes('EADDRINUSE')) continue;
    cleanup();
    throw new Error(`code-server exited while starting; its output:\n${log}`);
  }
  const { port, url } = started;

  try {
    await started.ready;
  } catch (err) {
    const log = readIfExists(serverLog);
    forget(started);
    cleanup();
    throw new Error(`${(err as Error).message}\ncode-server's output:\n${log}`);
  }

  const remoteUri = (fsPath: string) => `vscode-remote://127.0.0.1:${port}${fsPath}`;
  return {
    port,
    url,
    userDataDir,
    extensionsDir,
    remoteUri,
    exited: started.exited,
    workbenchUrl(folder, payload) {
      const query = `${folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURI(folder)}`;
      return `${url}/?${query}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
    },
    extensionLog() {
      const session = newestLogSession(userDataDir);
      return session ? readIfExists(path.join(session, 'exthost1', extensionId, 'Tidemark.log')) : '';
    },
    extensionHostLog() {
      const session = newestLogSession(userDataDir);
      return session ? readIfExists(path.join(session, 'exthost1', 'remoteexthost.log')) : '';
    },
    extensionStorageDir(folder) {
      if (!/^[A-Za-z0-9/._-]+$/.test(folder)) throw new Error(`extensionStorageDir: ${folder} needs URI encoding, which this helper does not do`);
      const id = vscodeStringHash(remoteUri(folder)).toString(16);
      return path.join(userDataDir, 'User', 'workspaceStorage', id, extensionId);
    },
    async stop() {
      if (!started.child.pid || !serverGroups.has(started.child.pid)) return;
      killGroup(started.child.pid, 'SIGTERM');
      const timer = setTimeout(() => started.child.pid && killGroup(started.child.pid, 'SIGKILL'), 10_000);
      await started.exited;
      clearTimeout(timer);
      forget(started);
      cleanup();
    },
  };
}
