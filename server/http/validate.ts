/** Request validation with the protocol's zod schemas; a failure names the field and becomes invalid_argument. */
import type { z } from 'zod';
import { PyreplError } from '../../protocol/errors.js';

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length ? issue.path.join('.') : what;
  throw new PyreplError('invalid_argument', `${path}: ${issue?.message ?? 'invalid'}`, {
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
