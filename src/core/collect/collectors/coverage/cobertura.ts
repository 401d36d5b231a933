/**
 * Cobertura XML (coverage.py, istanbul/c8 `cobertura`, gcovr, JaCoCo converters...):
 * <coverage><sources><source/></sources><packages><package><classes><class filename>
 *   <methods><method name signature hits><lines>...</lines></method></methods>
 *   <lines><line number hits branch condition-coverage="50% (1/2)"/></lines>
 */
import path from 'node:path';
import { CollectorError } from '../errors';
import { children, numberAttr, parseXml, stringAttr, type XmlNode } from '../xml';
import { addFlag, addLine, fileEntry, type Coverage } from './model';

const ARRAYS = ['source', 'package', 'class', 'method', 'line'];

export function parseCobertura(text: string, shownAs: string, baseDir: string): Coverage {
  const doc = parseXml(text, shownAs, ARRAYS);
  const root = doc.coverage as XmlNode | undefined;
  if (!root || typeof root !== 'object' || !('packages' in root)) {
    throw new CollectorError(`${shownAs} is not a Cobertura report (expected <coverage> with <packages>, found <${Object.keys(doc).find((k) => !k.startsWith('?')) ?? 'nothing'}>)`);
  }
  const sources = children(root.sources, 'source')
    .map((s) => (typeof s['#text'] === 'string' ? s['#text'] : ''))
    .concat(rawSources(root.sources));
  const sourceDir = path.resolve(baseDir, sources.find((s) => s.trim() !== '')?.trim() ?? '.');
  const coverage: Coverage = new Map();
  for (const pkg of children(root.packages, 'package')) {
    for (const cls of children(pkg.classes, 'class')) {
      const filename = stringAttr(cls, 'filename');
      if (!filename) throw new CollectorError(`${shownAs}: a <class> has no filename attribute`);
      const file = fileEntry(coverage, path.resolve(sourceDir, filename));
      const where = `${shownAs} (${filename})`;
      for (const line of children(cls.lines, 'line')) {
        const number = numberAttr(line, 'number', where);
        const hits = numberAttr(line, 'hits', where);
        if (number === undefined || hits === undefined) throw new CollectorError(`${where}: a <line> lacks number or hits`);
        addLine(file, number, hits);
        const condition = stringAttr(line, 'condition-coverage');
        if (stringAttr(line, 'branch') === 'true' && condition) {
          const m = /\((\d+)\/(\d+)\)/.exec(condition);
          if (!m) throw new CollectorError(`${where}: condition-coverage is not "NN% (covered/total)"`);
          const [covered, total] = [Number(m[1]), Number(m[2])];
          for (let i = 0; i < total; i++) addFlag(file.branches, `${number}:${i}`, i < covered);
        }
      }
      for (const method of children(cls.methods, 'method')) {
        const lines = children(method.lines, 'line');
        const first = lines.length ? numberAttr(lines[0], 'number', where) : undefined;
        const hits = numberAttr(method, 'hits', where);
        const covered = hits !== undefined ? hits > 0 : lines.some((l) => (numberAttr(l, 'hits', where) ?? 0) > 0);
        addFlag(file.functions, `${stringAttr(method, 'name') ?? ''}${stringAttr(method, 'signature') ?? ''}@${first ?? ''}`, covered);
      }
    }
  }
  return coverage;
}

/** `<sources><source>/x</source></sources>` parses to a string list when the element has only text. */
function rawSources(sources: unknown): string[] {
  if (!sources || typeof sources !== 'object') return [];
  const value = (sources as XmlNode).source;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}
