// Smoke suite throughput through the built bundle (50 checks): wall time against the slowest check.
await import('../packages/smoke/test/bench/smoke.ts');
