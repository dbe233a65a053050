import { randomBytes, randomInt } from 'node:crypto';

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alphanumerics>`, the form of real pool ids (amazon-cognito-identity-js checks it). */
export const newPoolId = (region: string) => `${region}_${pick(alnum, 9)}`;
/** 26 lowercase alphanumerics, like Cognito's app client ids. */
export const newClientId = () => pick(lowerAlnum, 26);
/** 51 lowercase alphanumerics, like Cognito's generated client secrets. */
export const newClientSecret = () => pick(lowerAlnum, 51);
/** Six digits, as Cognito mails. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
export const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');

export const poolIdPattern = /^[\w-]+_[0-9a-zA-Z]+$/;
