import { invalidParameter } from '../protocol/errors.ts';
import type { SchemaAttributeRecord } from '../store/state.ts';
import { checkBool, checkEnum, checkLength, checkPattern, listAt, objectAt } from './constraints.ts';

type DataType = SchemaAttributeRecord['attributeDataType'];
const dataTypes: readonly DataType[] = ['Boolean', 'Number', 'String', 'DateTime'];

const text = (name: string, min = '0', max = '2048'): SchemaAttributeRecord => ({
  name,
  attributeDataType: 'String',
  developerOnly: false,
  mutable: true,
  required: false,
  stringConstraints: { MinLength: min, MaxLength: max },
});
const flag = (name: string): SchemaAttributeRecord => ({
  name,
  attributeDataType: 'Boolean',
  developerOnly: false,
  mutable: true,
  required: false,
});

/**
 * Cognito's standard attributes, in the order and with the constraints DescribeUserPool lists them
 * for every pool (OIDC's standard claims, `sub`, and `identities` for federated users).
 */
export const standardSchema: readonly SchemaAttributeRecord[] = [
  { ...text('sub', '1'), mutable: false, required: true },
  text('name'),
  text('given_name'),
  text('family_name'),
  text('middle_name'),
  text('nickname'),
  text('preferred_username'),
  text('profile'),
  text('picture'),
  text('website'),
  text('email'),
  flag('email_verified'),
  text('gender'),
  text('birthdate', '10', '10'),
  text('zoneinfo'),
  text('locale'),
  text('phone_number'),
  flag('phone_number_verified'),
  text('address'),
  {
    name: 'updated_at',
    attributeDataType: 'Number',
    developerOnly: false,
    mutable: true,
    required: false,
    numberConstraints: { MinValue: '0' },
  },
  { ...text('identities'), stringConstraints: {} },
];
const standardByName = new Map(standardSchema.map((a) => [a.name, a]));
export const isStandardAttribute = (name: string) => standardByName.has(name);

/** Most custom attributes a pool may have (Cognito's quota). */
const maxCustom = 50;

function limit(path: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v))
    throw invalidParameter(`Invalid ${path} for schema attribute`);
  return Number(v);
}

function constraints(
  a: Record<string, unknown>,
  name: string,
  type: DataType,
  fallback?: SchemaAttributeRecord,
) {
  if (type === 'String') {
    const given = objectAt('StringAttributeConstraints', a.StringAttributeConstraints);
    const c = given ?? fallback?.stringConstraints ?? {};
    const min = limit('StringAttributeConstraints', c.MinLength);
    const max = limit('StringAttributeConstraints', c.MaxLength);
    if ((min ?? 0) > 2048 || (max ?? 0) > 2048)
      throw invalidParameter(`user.${name}: String attributes cannot have a length of more than 2048`);
    if (min !== undefined && max !== undefined && min > max)
      throw invalidParameter(`user.${name}: Max length cannot be less than min length.`);
    return { stringConstraints: pick(c, ['MinLength', 'MaxLength']) };
  }
  if (type === 'Number') {
    const given = objectAt('NumberAttributeConstraints', a.NumberAttributeConstraints);
    const c = given ?? fallback?.numberConstraints ?? {};
    const min = limit('NumberAttributeConstraints', c.MinValue);
    const max = limit('NumberAttributeConstraints', c.MaxValue);
    if (min !== undefined && max !== undefined && min > max)
      throw invalidParameter(`user.${name}: Max value cannot be less than min value.`);
    return { numberConstraints: pick(c, ['MinValue', 'MaxValue']) };
  }
  return {};
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (typeof o[k] === 'string') out[k] = o[k] as string;
  return out;
}

/** One entry of CreateUserPool's Schema or AddCustomAttributes' list, checked as Cognito checks it. */
function parseAttribute(raw: unknown, path: string, customOnly: boolean): SchemaAttributeRecord {
  const a = objectAt(path, raw);
  if (!a || a.Name === undefined || a.Name === null)
    throw invalidParameter(
      `1 validation error detected: Value null at '${path}.name' failed to satisfy constraint: Member must not be null`,
    );
  const given = checkPattern(
    `${path}.name`,
    checkLength(`${path}.name`, a.Name, 1, 20),
    '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
  );
  if (a.AttributeDataType !== undefined)
    checkEnum(`${path}.attributeDataType`, a.AttributeDataType, dataTypes);
  const developerOnly =
    a.DeveloperOnlyAttribute === undefined ? false : checkBool(path, a.DeveloperOnlyAttribute);
  const standard = !customOnly ? standardByName.get(given) : undefined;
  if (standard) {
    if (
      (a.AttributeDataType !== undefined && a.AttributeDataType !== standard.attributeDataType) ||
      developerOnly
    )
      throw invalidParameter(
        `You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${given}`,
      );
    if (given === 'sub') return { ...standard };
    return {
      ...standard,
      mutable: a.Mutable === undefined ? standard.mutable : checkBool(path, a.Mutable),
      required: a.Required === undefined ? standard.required : checkBool(path, a.Required),
      ...constraints(a, given, standard.attributeDataType, standard),
    };
  }
  const base = given.replace(/^(dev:)?custom:/, '');
  if (a.AttributeDataType === undefined)
    throw invalidParameter(
      'Invalid AttributeDataType input, consider using the provided AttributeDataType enum.',
    );
  if (a.Required === true) throw invalidParameter('Required custom attributes are not supported currently.');
  const type = a.AttributeDataType as DataType;
  return {
    name: developerOnly ? `dev:custom:${base}` : `custom:${base}`,
    attributeDataType: type,
    developerOnly,
    mutable: a.Mutable === undefined ? true : checkBool(path, a.Mutable),
    required: false,
    // Cognito lists an empty constraints object for custom String attributes given none.
    ...constraints(a, `custom:${base}`, type),
  };
}

/**
 * CreateUserPool's Schema: the standard attributes (overridden where listed) followed by the custom
 * ones in the order given. Empty or absent → the standard schema.
 */
export function buildSchema(raw: unknown): SchemaAttributeRecord[] {
  const list = listAt('Schema', raw) ?? [];
  if (list.length > 50)
    throw invalidParameter(
      "1 validation error detected: Value at 'schema' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
  const given = list.map((a, i) => parseAttribute(a, `schema.${i + 1}.member`, false));
  const out = standardSchema.map((s) => given.find((g) => g.name === s.name) ?? { ...s });
  for (const g of given) {
    if (isStandardAttribute(g.name)) continue;
    if (out.some((o) => o.name === g.name))
      throw invalidParameter(`${g.name}: Existing attribute already has name ${g.name}.`);
    out.push(g);
  }
  return out;
}

/** AddCustomAttributes: appends custom attributes; an existing name is refused and nothing changes. */
export function addCustomAttributes(schema: SchemaAttributeRecord[], raw: unknown): SchemaAttributeRecord[] {
  const list = listAt('CustomAttributes', raw);
  if (!list)
    throw invalidParameter(
      "1 validation error detected: Value null at 'customAttributes' failed to satisfy constraint: Member must not be null",
    );
  if (list.length < 1 || list.length > 25)
    throw invalidParameter(
      `1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must have length ${list.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 25'}`,
    );
  const next = [...schema];
  list.forEach((raw, i) => {
    const a = parseAttribute(raw, `customAttributes.${i + 1}.member`, true);
    const base = a.name.replace(/^(dev:)?custom:/, '');
    const clash = next.find((s) => s.name === `custom:${base}` || s.name === `dev:custom:${base}`);
    if (clash) throw invalidParameter(`custom:${base}: Existing attribute already has name ${clash.name}.`);
    next.push(a);
  });
  if (next.filter((s) => !isStandardAttribute(s.name)).length > maxCustom)
    throw invalidParameter(`The user pool cannot have more than ${maxCustom} custom attributes.`);
  return next;
}

/** The full schema of a pool, also for pools stored before the standard attributes were kept. */
export function schemaOf(stored: SchemaAttributeRecord[]): SchemaAttributeRecord[] {
  if (stored.some((s) => s.name === 'sub')) return stored;
  const custom = stored.filter((s) => !isStandardAttribute(s.name));
  return [
    ...standardSchema.map((s) => {
      const old = stored.find((o) => o.name === s.name);
      return old ? { ...s, mutable: old.mutable, required: old.required } : { ...s };
    }),
    ...custom.map((c) => ({
      developerOnly: false,
      ...c,
      name: c.name.includes(':') ? c.name : `custom:${c.name}`,
    })),
  ];
}

/** SchemaAttributeType as DescribeUserPool returns it. */
export function schemaType(s: SchemaAttributeRecord) {
  return {
    Name: s.name,
    AttributeDataType: s.attributeDataType,
    DeveloperOnlyAttribute: s.developerOnly ?? false,
    Mutable: s.mutable,
    Required: s.required,
    ...(s.stringConstraints ? { StringAttributeConstraints: s.stringConstraints } : {}),
    ...(s.numberConstraints ? { NumberAttributeConstraints: s.numberConstraints } : {}),
  };
}

/** The shared pool definition's schema entries (camel-cased) as a full schema. */
export function schemaFromDefinition(
  attrs: Array<{ name: string; attributeDataType: string; required: boolean; mutable: boolean }>,
): SchemaAttributeRecord[] {
  return buildSchema(
    attrs.map((a) => ({
      Name: a.name,
      AttributeDataType: a.attributeDataType,
      Required: a.required,
      Mutable: a.mutable,
    })),
  );
}
