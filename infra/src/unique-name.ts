import { Aws, Fn } from 'aws-cdk-lib';

/**
 * `<prefix>-<env>-<first group of the stack's UUID>`, e.g. app-users-auth-prod-3f2a9c1e: a physical
 * name unique per stack, for resources whose names are global or per account and region (a second
 * copy of the stack, or a retry after a failed first deploy, must not collide).
 */
export function uniqueName(prefix: string, envName: string): string {
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return Fn.join('-', [prefix, envName, Fn.select(0, Fn.split('-', stackUuid))]);
}
