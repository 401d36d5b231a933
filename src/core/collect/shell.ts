/**
 * How a metric's command line reaches the shell. POSIX: `/bin/sh -c COMMAND`, with `-o pipefail`
 * when that shell supports it (bash, zsh, dash builds with pipefail, busybox ash), so
 * `build | tail -1` fails when `build` fails. Support is detected by running the shell once
 * (`false | true` must fail under the option), never assumed from its name; a shell without it
 * runs the command as before, where a pipeline's status is its last command's.
 * Windows: cmd.exe through Node's `shell: true`.
 */
import { execFile } from 'node:child_process';

export const POSIX_SHELL = '/bin/sh';

export interface ShellInvocation {
  file: string;
  args: string[];
  /** Windows: let Node pick cmd.exe and quote the command. */
  useNodeShell: boolean;
  pipefail: boolean;
}

const support = new Map<string, Promise<boolean>>();

/** Whether `shell -o pipefail -c 'false | true'` fails, i.e. the option exists and works. Cached per shell. */
export function supportsPipefail(shell: string): Promise<boolean> {
  let known = support.get(shell);
  if (!known) {
    known = new Promise<boolean>((resolve) => {
      execFile(shell, ['-o', 'pipefail', '-c', 'false | true'], { timeout: 5000, windowsHide: true }, (error) => {
        // Exit 1 (from `false`) means the option worked; an unknown option exits 2 (dash) or
        // otherwise, and a shell that ignores it exits 0.
        resolve((error as { code?: unknown } | null)?.code === 1);
      });
    });
    support.set(shell, known);
  }
  return known;
}

export async function shellInvocation(command: string, shell: string = POSIX_SHELL): Promise<ShellInvocation> {
  if (process.platform === 'win32') return { file: command, args: [], useNodeShell: true, pipefail: false };
  const pipefail = await supportsPipefail(shell);
  return { file: shell, args: pipefail ? ['-o', 'pipefail', '-c', command] : ['-c', command], useNodeShell: false, pipefail };
}
