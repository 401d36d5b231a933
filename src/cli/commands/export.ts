import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { booleanFlag, stringFlag, type CliCommand } from '../context';
import { EXIT_OK, UsageError } from '../errors';

export const command: CliCommand = {
  name: 'export',
  summary: 'Export the whole history as JSONL (Unentropy format).',
  usage: 'tidemark export --jsonl [--out FILE]',
  details: [
    'Options:',
    '  --jsonl         the format (the only one for now; required so scripts stay explicit)',
    '  --out FILE      write to FILE instead of stdout',
    '',
    'With --out and --json, prints {"path","lines"}.',
  ],
  options: { jsonl: 'boolean', out: 'string' },
  async run(ctx) {
    if (!booleanFlag(ctx, 'jsonl')) throw new UsageError('choose the format: --jsonl');
    const store = await ctx.openStore({ readOnly: true });
    const out = stringFlag(ctx, 'out');
    if (out !== undefined) {
      const file = path.resolve(ctx.cwd, out);
      const lines = await store.exportJsonl(file);
      if (ctx.json) ctx.out(JSON.stringify({ path: file, lines }));
      else ctx.out(`Wrote ${lines} lines to ${file}.`);
      return EXIT_OK;
    }
    // The store writes files; stream one to stdout so any size of history works.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tidemark-export-'));
    try {
      const file = path.join(dir, 'history.jsonl');
      await store.exportJsonl(file);
      for await (const chunk of createReadStream(file, 'utf8')) ctx.write(chunk as string);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return EXIT_OK;
  },
};
