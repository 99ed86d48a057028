/** actions/setup-python, offline: the Python in PTK_ACT_PYTHON (a bin/ folder), if its version matches. */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';

const fail = (message: string): never => {
  console.log(`::error title=setup-python (local stand-in)::${message}`);
  process.exit(1);
};

const wanted = (process.env['INPUT_PYTHON-VERSION'] ?? '').trim();
const bin = process.env['PTK_ACT_PYTHON'] ?? '';
if (!bin) fail('PTK_ACT_PYTHON is not set: no Python is available offline.');
const python = path.join(bin, 'python');
const version = execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
if (wanted && version !== wanted && !version.startsWith(`${wanted}.`))
  fail(`python-version ${wanted} was asked for; ${python} is ${version}.`);

console.log(`Python ${version} from ${bin}`);
appendFileSync(process.env['GITHUB_PATH']!, `${bin}\n`);
appendFileSync(process.env['GITHUB_ENV']!, `pythonLocation=${path.dirname(bin)}\n`);
appendFileSync(process.env['GITHUB_OUTPUT']!, `python-version=${version}\npython-path=${python}\n`);
