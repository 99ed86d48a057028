// Deploy engine on the local control plane: rollback latency and the engine's own overhead (needs npm run tools).
await import('../packages/k8s/bench/deploy.bench.ts');
