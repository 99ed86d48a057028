import type * as Yaml from 'yaml';

/**
 * Loads the `yaml` package on demand. It is CommonJS: Node gives its exports as named ones, while a
 * bundled dynamic import gives them only as `default`; this accepts both.
 */
export async function loadYaml(): Promise<typeof Yaml> {
  const module = (await import('yaml')) as typeof Yaml & { default?: typeof Yaml };
  return module.default ?? module;
}
