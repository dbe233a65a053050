import { invalidParameter } from '../protocol/errors.ts';
import { type Dict, dict } from '../store/dict.ts';
import type { PoolRecord, SchemaAttributeRecord } from '../store/state.ts';
import { schemaOf } from './schema.ts';

export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164: a plus sign and up to 15 digits, the first not 0 (what Cognito requires of phone_number). */
export const e164 = /^\+[1-9]\d{1,14}$/;

const schemaError = (name: string, why: string) =>
  invalidParameter(`Attributes did not conform to the schema: ${name}: ${why}`);

function checkValue(a: SchemaAttributeRecord, value: string): string {
  switch (a.attributeDataType) {
    case 'Boolean': {
      // Cognito reads "True", "TRUE" and "true" alike, and keeps them as "true".
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw schemaError(a.name, 'Value must be true or false');
      return v;
    }
    case 'Number': {
      if (value === '' || !Number.isFinite(Number(value)))
        throw schemaError(a.name, 'Value must be a number');
      const n = Number(value);
      const { MinValue, MaxValue } = a.numberConstraints ?? {};
      if (MinValue !== undefined && n < Number(MinValue))
        throw schemaError(a.name, `Number must be no less than ${MinValue}`);
      if (MaxValue !== undefined && n > Number(MaxValue))
        throw schemaError(a.name, `Number must be no greater than ${MaxValue}`);
      return value;
    }
    case 'DateTime':
      if (Number.isNaN(Date.parse(value))) throw schemaError(a.name, 'Value must be a date and time');
      return value;
    default: {
      const length = [...value].length;
      const { MinLength, MaxLength } = a.stringConstraints ?? {};
      if (length > Number(MaxLength ?? 2048))
        throw schemaError(a.name, `String must be no longer than ${MaxLength ?? 2048} characters`);
      // An empty value removes an optional attribute, so the minimum applies to values only.
      if (value !== '' && MinLength !== undefined && length < Number(MinLength))
        throw schemaError(a.name, `String must be no shorter than ${MinLength} characters`);
      return value;
    }
  }
}

/**
 * User attribute values checked against the pool's schema as Cognito checks them: the attribute
 * exists (standard, `custom:` or, for administrators, `dev:custom:`), its data type and constraints
 * hold, e-mails look like e-mails and phone numbers are E.164. Returns the values as stored.
 */
export function checkAttributeValues(
  pool: PoolRecord,
  attrs: Array<{ Name: string; Value: string }>,
  opts: { admin?: boolean } = {},
): Dict<string> {
  const schema = schemaOf(pool.schema);
  const out = dict<string>();
  for (const { Name, Value } of attrs) {
    const a = schema.find((s) => s.name === Name);
    if (!a || Name === 'sub' || Name === 'identities' || (a.developerOnly && !opts.admin))
      throw schemaError(Name, 'Attribute does not exist in the schema.');
    let value = checkValue(a, Value);
    if (Name === 'email' && !emailPattern.test(value))
      throw invalidParameter('Invalid email address format.');
    if (Name === 'phone_number') {
      if (!e164.test(value)) throw invalidParameter('Invalid phone number format.');
      value = value.trim();
    }
    out[Name] = value;
  }
  return out;
}

/** Every required attribute has a value (SignUp, AdminCreateUser). */
export function checkRequired(pool: PoolRecord, attrs: Dict<string>) {
  for (const s of schemaOf(pool.schema))
    if (s.required && s.name !== 'sub' && !attrs[s.name])
      throw schemaError(s.name, 'The attribute is required');
}
