import { Aggregator } from '/work/wt-13par/packages/sarif/src/aggregate.ts';
import { readReports } from '/work/wt-13par/packages/sarif/src/load.ts';
const t = () => performance.now();
const files = (process.argv[2] ?? 'gitleaks,semgrep,trivy').split(',');
for (const f of files) {
  const agg = new Aggregator();
  let s = t(); const c0 = process.cpuUsage();
  const failed = await readReports(agg, [{ file: `/tmp/b13/${f}.json`, kind: f as any }], '/tmp/b13', []);
  if (failed) throw failed.error;
  const c1 = process.cpuUsage(c0);
  const s1 = t();
  agg.redactTexts();
  const c2 = process.cpuUsage();
  console.log(f, 'read', ((c1.user + c1.system) / 1000).toFixed(0), 'redact', (t() - s1).toFixed(0), 'findings', agg.findings().length, 'secrets', agg.secrets.size);
}
