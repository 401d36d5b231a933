/** `@collect json FILE PATH`: one value from a JSON file by a dotted path such as `results.0.mean`. */
import path from 'node:path';
import { parseArgs } from './args';
import type { CollectorContext } from './context';
import { CollectorError } from './errors';
import { jsonErrorPosition, kindOf } from './safeRead';
import { readReport } from './text';

export async function json(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('json', argv, {});
  if (args.positionals.length !== 2) throw new CollectorError('@collect json: expected FILE and PATH, e.g. @collect json bench.json results.0.mean');
  const [file, dotted] = args.positionals;
  const text = await readReport(path.resolve(ctx.cwd, file), file, ctx);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CollectorError(`${file} is not valid JSON: ${jsonErrorPosition(error)}`);
  }
  const walked: string[] = [];
  for (const key of dotted.split('.')) {
    const here = walked.length ? walked.join('.') : 'the top level';
    if (Array.isArray(value)) {
      if (!/^\d+$/.test(key)) throw new CollectorError(`${file}: ${here} is an array, "${key}" is not an index`);
      if (Number(key) >= value.length) throw new CollectorError(`${file}: ${here} has ${value.length} items, no index ${key}`);
      value = value[Number(key)];
    } else if (value && typeof value === 'object') {
      if (!Object.prototype.hasOwnProperty.call(value, key)) throw new CollectorError(`${file}: ${here} has no key "${key}"`);
      value = (value as Record<string, unknown>)[key];
    } else {
      throw new CollectorError(`${file}: ${here} is ${kindOf(value)}, it has no "${key}"`);
    }
    walked.push(key);
  }
  if (typeof value === 'number') return String(value);
  // Strings go to unit parsing as they are ("12.5 kB", or a label).
  if (typeof value === 'string') return value;
  throw new CollectorError(`${file}: ${dotted} is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}, expected a number or a string`);
}
