/** `smoke.yml:12` → `{ file: 'smoke.yml', line: 12 }`; anything else (the built-in suite) → `{}`. */
export function location(where: string | undefined): { file?: string; line?: number } {
  const match = where ? /^(.+):(\d+)$/.exec(where) : null;
  return match?.[1] ? { file: match[1], line: Number(match[2]) } : {};
}
