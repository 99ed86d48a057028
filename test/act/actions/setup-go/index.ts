/** actions/setup-go, offline: the go toolchain on PATH (or in /usr/local/go/bin), if its version matches. */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const fail = (message: string): never => {
  console.log(`::error title=setup-go (local stand-in)::${message}`);
  process.exit(1);
};

const wanted = (process.env['INPUT_GO-VERSION'] ?? 'stable').trim();
const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter), '/usr/local/go/bin'];
const dir = dirs.find((d) => d && existsSync(path.join(d, 'go')));
if (!dir) fail('no go toolchain is installed on this machine.');
const go = path.join(dir as string, 'go');
const version = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim().replace(/^go/, '');
if (wanted !== 'stable' && version !== wanted && !version.startsWith(`${wanted}.`))
  fail(`go-version ${wanted} was asked for; ${go} is ${version}.`);

console.log(`Go ${version} from ${dir}`);
appendFileSync(process.env['GITHUB_PATH']!, `${dir}\n`);
appendFileSync(process.env['GITHUB_OUTPUT']!, `go-version=${version}\n`);
