import { runAction } from '@pipeline-toolkit/core';
import { cleanupDeploy } from '@pipeline-toolkit/k8s';

await runAction((ctx) => cleanupDeploy(ctx));
