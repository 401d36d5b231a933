/**
 * LCOV tracefiles (c8, nyc/istanbul, jest, lcov/geninfo, grcov, cargo-llvm-cov...).
 * Reads the detail records (DA, BRDA, FN/FNDA and lcov 2's FNL/FNA); summary records are
 * derived, so they are not trusted for merging.
 */
import path from 'node:path';
import { CollectorError } from '../errors';
import { addFlag, addLine, fileEntry, type Coverage, type FileCoverage } from './model';

export function parseLcov(text: string, shownAs: string, baseDir: string): Coverage {
  const coverage: Coverage = new Map();
  let current: FileCoverage | null = null;
  let records = 0;
  // lcov 2 names functions by index: FNL:<index>,<line> then FNA:<index>,<hits>,<name>.
  const functionLines = new Map<string, string>();
  const functionLineByName = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const where = `${shownAs}:${n + 1}`;
    const colon = line.indexOf(':');
    const tag = colon < 0 ? line : line.slice(0, colon);
    const fields = colon < 0 ? [] : line.slice(colon + 1).split(',');
    if (tag === 'SF') {
      current = fileEntry(coverage, path.resolve(baseDir, line.slice(3)));
      functionLines.clear();
      functionLineByName.clear();
      continue;
    }
    if (tag === 'end_of_record') {
      if (!current) throw new CollectorError(`${where}: end_of_record without an SF record`);
      current = null;
      records++;
      continue;
    }
    if (!/^[A-Z]+$/.test(tag)) throw new CollectorError(`${where}: not an LCOV record`);
    const inFile = (): FileCoverage => {
      if (!current) throw new CollectorError(`${where}: ${tag} record outside an SF ... end_of_record block`);
      return current;
    };
    switch (tag) {
      case 'DA':
        addLine(inFile(), int(fields[0], where), int(fields[1], where));
        break;
      case 'BRDA': {
        const taken = fields[3] === '-' ? 0 : int(fields[3], where);
        addFlag(inFile().branches, `${int(fields[0], where)}:${fields[1]}:${fields[2]}`, taken > 0);
        break;
      }
      case 'FN':
        // FN:<line>[,<end line>],<name>
        functionLineByName.set(fields[fields.length - 1], `${int(fields[0], where)}`);
        inFile();
        break;
      case 'FNDA': {
        const name = fields.slice(1).join(',');
        addFlag(inFile().functions, `${name}@${functionLineByName.get(name) ?? ''}`, int(fields[0], where) > 0);
        break;
      }
      case 'FNL':
        functionLines.set(fields[0], `${int(fields[1], where)}`);
        inFile();
        break;
      case 'FNA': {
        const name = fields.slice(2).join(',');
        addFlag(inFile().functions, `${name}@${functionLines.get(fields[0]) ?? ''}`, int(fields[1], where) > 0);
        break;
      }
      default:
        // TN, VER, LF, LH, BRF, BRH, FNF, FNH and future records carry nothing that merges.
        break;
    }
  }
  if (current) throw new CollectorError(`${shownAs}: the last SF record has no end_of_record (truncated file?)`);
  if (records === 0) throw new CollectorError(`${shownAs} has no SF ... end_of_record blocks; it is not an LCOV tracefile`);
  return coverage;
}

function int(field: string | undefined, where: string): number {
  if (field === undefined || !/^\d+$/.test(field.trim())) throw new CollectorError(`${where}: expected a whole number`);
  return Number(field);
}

