/** Every `tidemark` command. Adding a command: create commands/<name>.ts and add it here. */
import type { CliCommand } from './context';
import { command as collect } from './commands/collect';
import { command as compare } from './commands/compare';
import { command as exportCommand } from './commands/export';
import { command as history } from './commands/history';
import { command as importCommand } from './commands/import';
import { command as verify } from './commands/verify';

export const commands: CliCommand[] = [collect, compare, history, importCommand, exportCommand, verify];
