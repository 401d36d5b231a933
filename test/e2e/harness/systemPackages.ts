/**
 * Checks the Debian packages the harness (and, for sqlite3, the store tests: test/sqliteShell.ts)
 * needs before anything starts, so a missing one is named with the command that installs it
 * instead of surfacing as an obscure build or launch error.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM_PATH = process.env.TIDEMARK_CHROMIUM ?? '/usr/bin/chromium';

interface Requirement {
  apt: string;
  why: string;
  present: () => boolean;
}

const onPath = (cmd: string) => () => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

const requirements: Record<'chromium' | 'ripgrep' | 'kerberos' | 'git' | 'buildTools' | 'sqlite3', Requirement> = {
  chromium: { apt: 'chromium', why: 'the browser that drives the code-server workbench', present: () => existsSync(CHROMIUM_PATH) },
  ripgrep: { apt: 'ripgrep', why: "code-server's search (its own ripgrep download needs GitHub)", present: onPath('rg') },
  kerberos: { apt: 'libkrb5-dev', why: "the Kerberos headers code-server's native 'kerberos' module builds against", present: () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h') },
  git: { apt: 'git', why: 'the sample workspace is a git repository', present: onPath('git') },
  buildTools: { apt: 'build-essential python3', why: "node-gyp builds code-server's native modules", present: () => onPath('make')() && onPath('g++')() && onPath('python3')() },
  sqlite3: { apt: 'sqlite3', why: "native SQLite's shell, the tests' independent reader and writer of store files", present: onPath('sqlite3') },
};

export type SystemPackage = keyof typeof requirements;

/** Throws one error naming every missing package, why it is needed and how to install it. */
export function requireSystemPackages(names: SystemPackage[]): void {
  const missing = names.map((n) => requirements[n]).filter((r) => !r.present());
  if (!missing.length) return;
  const lines = missing.map((r) => `  - ${r.apt}: ${r.why}`);
  throw new Error(
    `Missing system packages:\n${lines.join('\n')}\n` +
      `Install them with:\n  apt-get update && apt-get install -y ${missing.map((r) => r.apt).join(' ')}\n` +
      `(bash .ci/run does this on a fresh Debian machine.)`,
  );
}
