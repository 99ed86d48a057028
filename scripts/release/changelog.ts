/**
 * CHANGELOG.md in the Keep a Changelog shape: `## [Unreleased]` collects the changes; preparing
 * release X.Y.Z renames it `## [X.Y.Z] - YYYY-MM-DD` and opens a new empty `## [Unreleased]`
 * above it. The body of `## [X.Y.Z]` is the release's notes (the release workflow reads it from
 * the released commit, so the notes are exactly what was reviewed).
 */
const heading = /^## \[([^\]\n]+)\][^\n]*$/gm;

interface Section {
  name: string;
  /** Offset of the `## [` line. */
  start: number;
  /** Offset just after the heading line. */
  bodyStart: number;
  /** Offset of the next `## [` line or of the link references, or the end of the text. */
  end: number;
}

function sections(text: string): Section[] {
  const found = [...text.matchAll(heading)].map((m) => ({ name: m[1]!, start: m.index, bodyStart: m.index + m[0].length }));
  const links = text.search(/^\[[^\]\n]+\]: /m);
  return found.map((s, i) => {
    const next = found[i + 1]?.start ?? (links > s.start ? links : text.length);
    return { ...s, end: next };
  });
}

/** The body of `## [name]`, trimmed; undefined when there is no such section. */
export function sectionBody(text: string, name: string): string | undefined {
  const section = sections(text).find((s) => s.name === name);
  return section ? text.slice(section.bodyStart, section.end).trim() : undefined;
}

/**
 * The changelog with `## [Unreleased]` dated as `## [version] - date`, a new empty
 * `## [Unreleased]` above it, and the compare links at the bottom updated.
 */
export function dateUnreleased(text: string, version: string, date: string, repository: string, previous?: string): string {
  const unreleased = sections(text).find((s) => s.name === 'Unreleased');
  if (!unreleased) throw new Error('CHANGELOG.md has no "## [Unreleased]" section');
  if (sections(text).some((s) => s.name === version)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
  if (!text.slice(unreleased.bodyStart, unreleased.end).trim())
    throw new Error('the [Unreleased] section of CHANGELOG.md is empty: there is nothing to release');
  let next = `${text.slice(0, unreleased.start)}## [Unreleased]\n\n## [${version}] - ${date}${text.slice(unreleased.bodyStart)}`;
  const base = `https://github.com/${repository}`;
  const links = [
    `[Unreleased]: ${base}/compare/v${version}...HEAD`,
    previous ? `[${version}]: ${base}/compare/v${previous}...v${version}` : `[${version}]: ${base}/releases/tag/v${version}`,
  ];
  next = next.replace(/^\[Unreleased\]: .*\n?/m, '');
  const firstLink = next.search(/^\[[^\]\n]+\]: /m);
  if (firstLink >= 0) next = `${next.slice(0, firstLink)}${links.join('\n')}\n${next.slice(firstLink)}`;
  else next = `${next.trimEnd()}\n\n${links.join('\n')}\n`;
  return next;
}
