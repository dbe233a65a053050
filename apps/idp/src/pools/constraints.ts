import { invalidParameter } from '../protocol/errors.ts';

/**
 * AWS's request-validation wording ("1 validation error detected: Value 'x' at 'path' failed to
 * satisfy constraint: ..."), which every AWS JSON service answers for members outside the model's
 * length, pattern or enum. `path` is the member path as AWS spells it: camel-cased, list items as
 * `.N.member` counted from 1 (e.g. `schema.1.member.attributeDataType`).
 */
export function violation(path: string, value: unknown, constraint: string) {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalidParameter(
    `1 validation error detected: Value '${shown}' at '${path}' failed to satisfy constraint: ${constraint}`,
  );
}

export const camel = (member: string) => member.charAt(0).toLowerCase() + member.slice(1);

export function checkEnum<T extends string>(path: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T))
    throw violation(path, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return value as T;
}

export function checkLength(path: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') throw invalidParameter(`${path} must be a string`);
  // AWS counts characters, not UTF-16 units.
  const length = [...value].length;
  if (length < min) throw violation(path, value, `Member must have length greater than or equal to ${min}`);
  if (length > max) throw violation(path, value, `Member must have length less than or equal to ${max}`);
  return value;
}

export function checkPattern(path: string, value: string, pattern: string, flags = 'u'): string {
  if (!new RegExp(`^(?:${pattern})$`, flags).test(value))
    throw violation(path, value, `Member must satisfy regular expression pattern: ${pattern}`);
  return value;
}

export function checkInt(path: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw invalidParameter(`${path} must be an integer`);
  if (value < min) throw violation(path, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw violation(path, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function checkBool(path: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidParameter(`${path} must be a boolean`);
  return value;
}

export function objectAt(path: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`${path} must be an object`);
  return value as Record<string, unknown>;
}

export function listAt(path: string, value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParameter(`${path} must be a list`);
  return value;
}

/** The ARN pattern of Cognito's model (LambdaConfig, EmailConfiguration.SourceArn, ...). */
export const arnPattern =
  'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?';

export function checkArn(path: string, value: unknown): string {
  return checkPattern(path, checkLength(path, value, 20, 2048), arnPattern);
}
