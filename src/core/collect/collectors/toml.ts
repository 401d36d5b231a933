/**
 * A small TOML reader for manifests (pyproject.toml): tables, arrays of tables, dotted and
 * quoted keys, basic/literal/multi-line strings, arrays and inline tables. Numbers, booleans
 * and dates are kept as their text; what manifests need is names and strings.
 */
import { CollectorError } from './errors';

export type TomlValue = string | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export function parseToml(text: string, shownAs: string): TomlTable {
  return new Reader(text.replace(/\r\n/g, '\n'), shownAs).document();
}

class Reader {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly shownAs: string,
  ) {}

  document(): TomlTable {
    const root: TomlTable = {};
    let table = root;
    for (;;) {
      this.skipBlank(true);
      if (this.i >= this.s.length) return root;
      if (this.s[this.i] === '[') {
        const isArray = this.s.startsWith('[[', this.i);
        this.i += isArray ? 2 : 1;
        const keys = this.key();
        this.skipSpaces();
        if (!this.s.startsWith(isArray ? ']]' : ']', this.i)) this.fail(`expected ${isArray ? ']]' : ']'} after the table name`);
        this.i += isArray ? 2 : 1;
        table = isArray ? this.appendTable(root, keys) : this.tableAt(root, keys);
      } else {
        const keys = this.key();
        this.skipSpaces();
        if (this.s[this.i] !== '=') this.fail('expected = after the key');
        this.i++;
        this.skipSpaces();
        const value = this.value();
        const parent = this.tableAt(table, keys.slice(0, -1));
        parent[keys[keys.length - 1]] = value;
      }
      this.endOfLine();
    }
  }

  private tableAt(from: TomlTable, keys: string[]): TomlTable {
    let t = from;
    for (const k of keys) {
      let next = t[k];
      if (Array.isArray(next)) next = next[next.length - 1];
      if (next === undefined) t[k] = next = {};
      if (typeof next !== 'object' || Array.isArray(next)) this.fail(`"${keys.join('.')}" is not a table`);
      t = next as TomlTable;
    }
    return t;
  }

  private appendTable(root: TomlTable, keys: string[]): TomlTable {
    const parent = this.tableAt(root, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    const list = (parent[last] ??= []);
    if (!Array.isArray(list)) this.fail(`"${keys.join('.')}" is not an array of tables`);
    const table: TomlTable = {};
    (list as TomlValue[]).push(table);
    return table;
  }

  private key(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.s[this.i];
      if (c === '"' || c === "'") keys.push(this.string());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.s.slice(this.i, this.i + 256));
        if (!m) this.fail('expected a key');
        keys.push(m[0]);
        this.i += m[0].length;
      }
      this.skipSpaces();
      if (this.s[this.i] !== '.') return keys;
      this.i++;
    }
  }

  private value(): TomlValue {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') {
      this.i++;
      const list: TomlValue[] = [];
      for (;;) {
        this.skipBlank(true);
        if (this.s[this.i] === ']') {
          this.i++;
          return list;
        }
        list.push(this.value());
        this.skipBlank(true);
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']') this.fail('expected , or ] in an array');
      }
    }
    if (c === '{') {
      this.i++;
      const table: TomlTable = {};
      this.skipSpaces();
      if (this.s[this.i] === '}') {
        this.i++;
        return table;
      }
      for (;;) {
        const keys = this.key();
        this.skipSpaces();
        if (this.s[this.i] !== '=') this.fail('expected = in an inline table');
        this.i++;
        this.skipSpaces();
        this.tableAt(table, keys.slice(0, -1))[keys[keys.length - 1]] = this.value();
        this.skipSpaces();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] === '}') {
          this.i++;
          return table;
        } else this.fail('expected , or } in an inline table');
      }
    }
    // Numbers, booleans, dates: up to the next delimiter.
    const m = /^[^\s,\]}#]+/.exec(this.s.slice(this.i, this.i + 256));
    if (!m) this.fail('expected a value');
    this.i += m[0].length;
    return m[0];
  }

  private string(): string {
    const quote = this.s[this.i];
    const multi = this.s.startsWith(quote.repeat(3), this.i);
    this.i += multi ? 3 : 1;
    if (multi && this.s[this.i] === '\n') this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('a string is not closed');
      const c = this.s[this.i];
      if (multi ? this.s.startsWith(quote.repeat(3), this.i) : c === quote) {
        this.i += multi ? 3 : 1;
        // Up to two more quotes right before the closing three belong to the string.
        while (multi && this.s[this.i] === quote) {
          out += quote;
          this.i++;
        }
        return out;
      }
      if (!multi && c === '\n') this.fail('a single-line string runs past the end of the line');
      if (c === '\\' && quote === '"') {
        const e = this.s[this.i + 1];
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e in simple) {
          out += simple[e];
          this.i += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(this.s.slice(this.i + 2, this.i + 2 + len), 16));
          this.i += 2 + len;
        } else if (multi && /\s/.test(e)) {
          // Line-ending backslash: trims the newline and leading whitespace that follow.
          this.i++;
          while (/\s/.test(this.s[this.i] ?? '')) this.i++;
        } else this.fail(`unknown escape \\${e}`);
        continue;
      }
      out += c;
      this.i++;
    }
  }

  private skipSpaces(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  /** Whitespace, newlines and comments. */
  private skipBlank(newlines: boolean): void {
    for (;;) {
      this.skipSpaces();
      const c = this.s[this.i];
      if (c === '#') while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      else if (newlines && c === '\n') this.i++;
      else return;
    }
  }

  private endOfLine(): void {
    this.skipBlank(false);
    if (this.i < this.s.length && this.s[this.i] !== '\n') this.fail('expected the end of the line');
  }

  private fail(message: string): never {
    const line = this.s.slice(0, this.i).split('\n').length;
    throw new CollectorError(`${this.shownAs}:${line}: ${message}`);
  }
}
