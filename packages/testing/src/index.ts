export {
  createRunnerEnv,
  parseFileCommands,
  parseWorkflowCommands,
  runBundle,
  repoRoot,
  writeFiles,
  type RunnerEnv,
  type BundleRun,
  type WorkflowCommand,
} from './runner.ts';
export { startServer, json, codeScanning, type LoopbackServer, type RecordedRequest, type Handler } from './server.ts';
export { toolsDir, manifestPath, toolsManifest, requireTool, type ToolEntry } from './tools.ts';
export { loopbackCertificate, testAuthority, tokenKubeconfig, type TestAuthority } from './tls.ts';
export { freePort, postgres, serviceDatabaseEnv, waitForHealth } from './services.ts';
export { hostileServer, INJECTION_STRINGS, type HostileServer } from './hostile.ts';
export { advisoriesDir, advisoriesHash, offlineTrivyCache, offlineTrivyDb, trivyDbCacheRoot, type OfflineTrivyDb } from './trivy-db.ts';
