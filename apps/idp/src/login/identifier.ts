import type { PoolRecord } from '../store/state.ts';
import type { Field } from './page.ts';

/**
 * What a user of this pool signs in with, as its managed login asks for it (ADR 0213): an e-mail
 * address or a phone number when they are the pool's UsernameAttributes, else a username (which an
 * alias attribute may stand in for at sign-in).
 */
export interface Identifier {
  /** The username field's label. */
  label: string;
  /** The same words inside a sentence ("Enter your … and password."). */
  noun: string;
  type: 'email' | 'tel' | 'text';
  hint?: string;
  /** How the code of a sign-up or password reset reaches the user, for the pages' wording. */
  delivery: 'email' | 'phone' | 'either';
}

export const phoneHint = 'With the country code, for example +14155550100.';

/** True when users sign in with an e-mail address or phone number as their username. */
export const byUsernameAttribute = (pool: PoolRecord): boolean => pool.usernameAttributes.length > 0;

export function identifierOf(pool: PoolRecord): Identifier {
  const email = pool.usernameAttributes.includes('email');
  const phone = pool.usernameAttributes.includes('phone_number');
  if (email && phone)
    return {
      label: 'E-mail address or phone number',
      noun: 'e-mail address or phone number',
      type: 'text',
      hint: 'A phone number with the country code, for example +14155550100.',
      delivery: 'either',
    };
  if (email) return { label: 'E-mail address', noun: 'e-mail address', type: 'email', delivery: 'email' };
  if (phone)
    return { label: 'Phone number', noun: 'phone number', type: 'tel', hint: phoneHint, delivery: 'phone' };
  const aliases = (pool.aliasAttributes ?? []).map((a) =>
    a === 'email' ? 'e-mail address' : a === 'phone_number' ? 'phone number' : 'preferred username',
  );
  const words = ['username', ...aliases];
  const noun = words.length > 2 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words.join(' or ');
  return {
    label: noun.charAt(0).toUpperCase() + noun.slice(1),
    noun,
    type: 'text',
    delivery: pool.autoVerifiedAttributes.includes('email')
      ? 'email'
      : pool.autoVerifiedAttributes.includes('phone_number')
        ? 'phone'
        : 'either',
  };
}

/** The username input of the sign-in, sign-up, code and reset pages. */
export function identifierField(pool: PoolRecord, value = ''): Field {
  const id = identifierOf(pool);
  return {
    name: 'username',
    label: id.label,
    type: id.type,
    autocomplete: 'username',
    value,
    ...(id.hint ? { hint: id.hint } : {}),
  };
}

/** Where a user's username goes among the attributes at sign-up, when it is an e-mail or a phone number. */
export function usernameAttribute(pool: PoolRecord, username: string): string | undefined {
  const email = pool.usernameAttributes.includes('email');
  const phone = pool.usernameAttributes.includes('phone_number');
  if (email && phone) return username.includes('@') ? 'email' : 'phone_number';
  if (email) return 'email';
  if (phone) return 'phone_number';
  return undefined;
}
