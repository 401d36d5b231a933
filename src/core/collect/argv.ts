/**
 * Splits an `@collect` command line into arguments the way a POSIX shell would for plain
 * words: whitespace separates, single quotes are literal, double quotes allow \" and \\,
 * a backslash outside quotes escapes the next character. No expansion of any kind.
 */
export class ArgvSyntaxError extends Error {
  override name = 'ArgvSyntaxError';
}

export function splitArgv(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ArgvSyntaxError(`unterminated ' quote at character ${i + 1}`);
      current += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++;
        current += line[j];
      }
      if (j >= line.length) throw new ArgvSyntaxError(`unterminated " quote at character ${i + 1}`);
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ArgvSyntaxError('a backslash ends the command');
      current += line[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
      i++;
    } else {
      current += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) args.push(current);
  return args;
}
