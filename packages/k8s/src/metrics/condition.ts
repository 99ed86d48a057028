/**
 * A metric's success condition: `result <op> <number>`, e.g. `result < 0.01`. One comparison, so
 * what is green is readable at a glance and nothing is evaluated as code.
 */
export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  operator: Operator;
  threshold: number;
  /** As written (normalised spacing), for the log and summary. */
  text: string;
}

// `result`, an operator, a decimal number (sign, fraction and exponent allowed); nothing else.
const FORM = /^result[ \t]*(<=|>=|==|!=|<|>)[ \t]*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)$/;

/** Parses a condition; returns an error text naming what is accepted when it is not one. */
export function parseCondition(text: string): Condition | string {
  const match = FORM.exec(text.trim());
  if (!match)
    return `must be 'result <op> <number>' with <op> one of ${OPERATORS.join(' ')} (e.g. 'result < 0.01'), got '${text.slice(0, 200)}'`;
  const threshold = Number(match[2]);
  if (!Number.isFinite(threshold)) return `has a threshold that is not a finite number: '${match[2]}'`;
  const operator = match[1] as Operator;
  return { operator, threshold, text: `result ${operator} ${match[2]}` };
}

/** Whether a (finite) measured value satisfies the condition. */
export function holds(condition: Condition, value: number): boolean {
  const t = condition.threshold;
  switch (condition.operator) {
    case '<':
      return value < t;
    case '<=':
      return value <= t;
    case '>':
      return value > t;
    case '>=':
      return value >= t;
    case '==':
      return value === t;
    case '!=':
      return value !== t;
  }
}
