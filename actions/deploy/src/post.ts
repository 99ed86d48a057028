import { runAction } from '@pipeline-toolkit/core';
import { cleanup } from './cleanup.ts';

await runAction(cleanup);
