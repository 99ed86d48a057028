import { runProcess } from './main.ts';

process.exitCode = await runProcess(process.argv.slice(2));
