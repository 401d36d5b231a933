/**
 * Clover XML (istanbul/c8 `clover`, OpenClover, PHPUnit):
 * <coverage><project>[<package>]<file name path><line num count type="stmt|cond|method"
 * truecount falsecount/></file>...
 * Statement and condition lines are the lines; each condition has a true and a false branch.
 */
import path from 'node:path';
import { CollectorError } from '../errors';
import { children, numberAttr, parseXml, stringAttr, type XmlNode } from '../xml';
import { addFlag, addLine, fileEntry, type Coverage } from './model';

const ARRAYS = ['project', 'package', 'file', 'line'];

export function parseClover(text: string, shownAs: string, baseDir: string): Coverage {
  const doc = parseXml(text, shownAs, ARRAYS);
  const root = doc.coverage as XmlNode | undefined;
  const projects = children(root, 'project');
  if (!root || typeof root !== 'object' || projects.length === 0) {
    throw new CollectorError(`${shownAs} is not a Clover report (expected <coverage> with <project>)`);
  }
  const coverage: Coverage = new Map();
  for (const project of projects) {
    const files = [...children(project, 'file'), ...children(project, 'package').flatMap((p) => children(p, 'file'))];
    for (const f of files) {
      const name = stringAttr(f, 'path') ?? stringAttr(f, 'name');
      if (!name) throw new CollectorError(`${shownAs}: a <file> has neither path nor name`);
      const file = fileEntry(coverage, path.resolve(baseDir, name));
      const where = `${shownAs} (${name})`;
      for (const line of children(f, 'line')) {
        const num = numberAttr(line, 'num', where);
        if (num === undefined) throw new CollectorError(`${where}: a <line> has no num`);
        const count = numberAttr(line, 'count', where) ?? 0;
        const type = stringAttr(line, 'type');
        if (type === 'method') {
          addFlag(file.functions, `${stringAttr(line, 'name') ?? ''}${stringAttr(line, 'signature') ?? ''}@${num}`, count > 0);
          continue;
        }
        addLine(file, num, count);
        if (type === 'cond') {
          addFlag(file.branches, `${num}:true`, (numberAttr(line, 'truecount', where) ?? 0) > 0);
          addFlag(file.branches, `${num}:false`, (numberAttr(line, 'falsecount', where) ?? 0) > 0);
        }
      }
    }
  }
  return coverage;
}
