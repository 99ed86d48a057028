export { main, mainHelp } from './main.ts';
export type { Command, CliIO, Flag, Invocation } from './command.ts';
