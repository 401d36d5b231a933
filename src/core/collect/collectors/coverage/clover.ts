/**
 * Clover XML (istanbul/c8 `clover`, OpenClover, PHPUnit):
 * <coverage><project>[<package>]<file name path><metrics/><line num count type="stmt|cond|method"
 * truecount falsecount/></file>...
 * Statement and condition lines are the lines.
 *
 * `cond` lines mean different things by producer: istanbul writes covered and uncovered
 * branch counts in truecount/falsecount, OpenClover the times the condition was true and
 * false (two branches). A file whose <metrics conditionals> equals the sum of both counts is
 * read the istanbul way, any other the OpenClover way.
 * istanbul writes no `method` lines, only method counts in <metrics>; those are used then.
 */
import path from 'node:path';
import { CollectorError } from '../errors';
import { children, numberAttr, parseXml, stringAttr, type XmlNode } from '../xml';
import { addFlag, addLine, fileEntry, type Coverage, type FileCoverage } from './model';

const ARRAYS = ['project', 'package', 'file', 'line', 'metrics'];

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
      readFile(f, fileEntry(coverage, path.resolve(baseDir, name)), `${shownAs} (${name})`);
    }
  }
  return coverage;
}

function readFile(f: XmlNode, file: FileCoverage, where: string): void {
  const lines = children(f, 'line');
  const metrics = children(f, 'metrics')[0];
  const conditionals = metrics ? numberAttr(metrics, 'conditionals', where) : undefined;
  const conds = lines.filter((l) => stringAttr(l, 'type') === 'cond');
  const countsOf = (l: XmlNode): [number, number] => [numberAttr(l, 'truecount', where) ?? 0, numberAttr(l, 'falsecount', where) ?? 0];
  const istanbulStyle = conds.length > 0 && conditionals === conds.reduce((sum, l) => sum + countsOf(l)[0] + countsOf(l)[1], 0);
  let methodLines = 0;
  for (const line of lines) {
    const num = numberAttr(line, 'num', where);
    if (num === undefined) throw new CollectorError(`${where}: a <line> has no num`);
    const count = numberAttr(line, 'count', where) ?? 0;
    const type = stringAttr(line, 'type');
    if (type === 'method') {
      methodLines++;
      addFlag(file.functions, `${stringAttr(line, 'name') ?? ''}${stringAttr(line, 'signature') ?? ''}@${num}`, count > 0);
      continue;
    }
    addLine(file, num, count);
    if (type !== 'cond') continue;
    const [trueCount, falseCount] = countsOf(line);
    if (istanbulStyle) {
      for (let i = 0; i < trueCount + falseCount; i++) addFlag(file.branches, `${num}:${i}`, i < trueCount);
    } else {
      addFlag(file.branches, `${num}:true`, trueCount > 0);
      addFlag(file.branches, `${num}:false`, falseCount > 0);
    }
  }
  if (methodLines === 0 && metrics) {
    const methods = numberAttr(metrics, 'methods', where) ?? 0;
    const covered = numberAttr(metrics, 'coveredmethods', where) ?? 0;
    for (let i = 0; i < methods; i++) addFlag(file.functions, `#${i}`, i < covered);
  }
}
