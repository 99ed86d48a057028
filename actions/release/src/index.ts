import { runAction } from '@pipeline-toolkit/core';
import { run } from './main.ts';

await runAction(run);
