import { type Dict, dict } from '../store/dict.ts';
import { invalidParameter, missingMember } from './errors.ts';

/** A parsed JSON 1.1 request body. Members are read through these helpers so bad input gets Cognito's errors. */
export type Input = Record<string, unknown>;

export function str(input: Input, name: string): string {
  const v = input[name];
  if (v === undefined || v === null || v === '') throw missingMember(name);
  if (typeof v !== 'string') throw invalidParameter(`${name} must be a string`);
  return v;
}

export function optStr(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${name} must be a string`);
  return v;
}

export function optBool(input: Input, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidParameter(`${name} must be a boolean`);
  return v;
}

export function optInt(input: Input, name: string, min: number, max: number): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParameter(`${name} must be an integer`);
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  if (v < min)
    throw invalidParameter(
      `1 validation error detected: Value '${v}' at '${lower}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  if (v > max)
    throw invalidParameter(
      `1 validation error detected: Value '${v}' at '${lower}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  return v;
}

export function optStrList(input: Input, name: string): string[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw invalidParameter(`${name} must be a list of strings`);
  return v as string[];
}

export function strMap(input: Input, name: string): Dict<string> {
  const v = input[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${name} must be a map`);
  const out = dict<string>();
  for (const [k, val] of Object.entries(v)) {
    // amazon-cognito-identity-js sends DEVICE_KEY: null on every refresh; Cognito reads null as absent.
    if (val === null) continue;
    if (typeof val !== 'string') throw invalidParameter(`${name}.${k} must be a string`);
    out[k] = val;
  }
  return out;
}

/** [{Name, Value}] as Cognito sends user attributes. */
export function attributeList(input: Input, name: string): Array<{ Name: string; Value: string }> {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidParameter(`${name} must be a list of {Name, Value}`);
  return v.map((a) => {
    if (!a || typeof a !== 'object' || typeof a.Name !== 'string')
      throw invalidParameter(`${name} must be a list of {Name, Value}`);
    const value = a.Value ?? '';
    if (typeof value !== 'string') throw invalidParameter(`${name}: the value of ${a.Name} must be a string`);
    return { Name: a.Name as string, Value: value };
  });
}
