import type { Input } from '../protocol/params.ts';
import { attributeList, strMap } from '../protocol/params.ts';
import type { UserRecord } from '../store/state.ts';

/** userAttributes as Cognito puts them in trigger events: sub, the attributes, and the status. */
export function userAttributesOf(user: UserRecord): Record<string, string> {
  return { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status };
}

/** ClientMetadata from a request, or undefined when absent or empty (then events leave it out). */
export function clientMetadataOf(input: Input): Record<string, string> | undefined {
  const m = strMap(input, 'ClientMetadata');
  return Object.keys(m).length > 0 ? { ...m } : undefined;
}

/** The request members every call shares: attributes, plus clientMetadata only when the caller sent some. */
export function withMetadata(request: Record<string, unknown>, clientMetadata?: Record<string, string>) {
  return clientMetadata ? { ...request, clientMetadata } : request;
}

/** ValidationData ([{Name, Value}], SignUp and AdminCreateUser) as the trigger's validationData map. */
export function validationDataOf(input: Input): Record<string, string> | undefined {
  const list = attributeList(input, 'ValidationData');
  return list.length > 0 ? Object.fromEntries(list.map((a) => [a.Name, a.Value])) : undefined;
}
