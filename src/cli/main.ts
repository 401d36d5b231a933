// The `tidemark` command line (stub until the CLI lands).
process.stdout.write('tidemark: not implemented yet\n');
