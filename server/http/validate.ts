/** Request validation with the protocol's zod schemas; a failure names the field and becomes invalid_argument. */
import type { z } from 'zod';
import { PyreplError } from '../../protocol/errors.js';

type Issue = z.core.$ZodIssue;

/**
 * One line for the first problem, naming the field. An unknown field also lists the ones the request takes, so a typo
 * (`timout`) is a one-look fix.
 */
export function describeIssue(issue: Issue | undefined, schema: z.ZodType, what: string): string {
  if (!issue) return `${what}: invalid`;
  const path = issue.path.length ? issue.path.join('.') : what;
  if (issue.code === 'unrecognized_keys') {
    const shape = (schema as { shape?: Record<string, unknown> }).shape;
    const fields = shape ? Object.keys(shape) : null;
    const known = fields === null ? '' : fields.length > 0 ? ` (it takes: ${fields.join(', ')})` : ' (this request takes none)';
    const names = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${names}${known}`;
  }
  return `${path}: ${issue.message}`;
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new PyreplError('invalid_argument', describeIssue(result.error.issues[0], schema, what), {
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
