/**
 * A credential (a webhook URL, a bot token) kept in a private field: printing, interpolating or
 * serialising it shows its placeholder, never the value.
 */
export class Credential {
  readonly #value: string;
  readonly #placeholder: string;
  constructor(value: string, placeholder: string) {
    this.#value = value;
    this.#placeholder = placeholder;
  }
  /** The real value, for the request only. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return this.#placeholder;
  }
  toJSON(): string {
    return this.toString();
  }
}
