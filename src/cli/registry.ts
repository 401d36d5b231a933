/** Every `tidemark` command. Adding a command: create commands/<name>.ts and add it here. */
import type { CliCommand } from './context';
import { command as collect } from './commands/collect';
import { command as compare } from './commands/compare';
import { command as exportCommand } from './commands/export';
import { command as history } from './commands/history';
import { command as importCommand } from './commands/import';
import { command as init } from './commands/init';
import { command as report } from './commands/report';
import { command as verify } from './commands/verify';
import { command as check } from './commands/check';
import { command as baseline } from './commands/baseline';
import { command as rollup } from './commands/rollup';
import { command as summary } from './commands/summary';
import { command as breakdown } from './commands/breakdown';
import { command as compact } from './commands/compact';
import { command as stats } from './commands/stats';
import { command as publish } from './commands/publish';
import { command as pull } from './commands/pull';
import { command as sync } from './commands/sync';
import { command as changes } from './commands/changes';
import { command as backfill } from './commands/backfill';

export const commands: CliCommand[] = [init, collect, compare, history, importCommand, exportCommand, verify, check, baseline, report, summary, breakdown, rollup, compact, stats, publish, pull, sync, changes, backfill];
