// Preloaded into a benchmarked child process (node --import): writes the process's CPU time
// (user + system, ms, all threads) to $TIDEMARK_BENCH_CPU_FILE when it exits, so a figure
// measured on a shared machine can be read beside the CPU it really took.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.TIDEMARK_BENCH_CPU_FILE;
  if (!file) return;
  const { user, system } = process.cpuUsage();
  writeFileSync(file, JSON.stringify({ cpuMs: (user + system) / 1000 }));
});
