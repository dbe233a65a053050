import type { UserPoolDefinition } from '@app/pool-definition';
import type { Ctx } from '../context.ts';
import type { PoolRecord } from '../store/state.ts';
import type { LambdaConfigRecord } from './lambda-config.ts';
import { findTarget } from './targets.ts';

const names = {
  preSignUp: 'PreSignUp',
  customMessage: 'CustomMessage',
  postConfirmation: 'PostConfirmation',
  preTokenGeneration: 'PreTokenGeneration',
} as const;

/** The ARN a definition's function name has locally (account 000000000000, like the pool ARNs). */
export const localFunctionArn = (region: string, name: string) =>
  `arn:aws:lambda:${region}:000000000000:function:${name}`;

/**
 * At every start, attaches the definition's triggers to the bootstrap pool — those the function map
 * can run (a definition trigger with nothing to run it would fail every sign-up), so a plain
 * `startIdp()` keeps working and `npm start` (with functions/functions.json) gets all of them.
 * With a CustomMessage the pool sends "through SES" (DEVELOPER), as the deployed pool does.
 */
export function attachDefinitionTriggers(ctx: Ctx, pool: PoolRecord, def: UserPoolDefinition): boolean {
  const config: LambdaConfigRecord = { ...pool.lambdaConfig };
  let changed = false;
  for (const [key, trigger] of Object.entries(names) as Array<
    [keyof typeof names, (typeof names)[keyof typeof names]]
  >) {
    const fn = def.triggers[key];
    if (!fn) continue;
    const arn = localFunctionArn(pool.region, fn);
    if (!findTarget(ctx.triggers.functions, arn) || config[trigger] === arn) continue;
    config[trigger] = arn;
    if (trigger === 'PreTokenGeneration')
      config.PreTokenGenerationConfig = { LambdaArn: arn, LambdaVersion: def.preTokenGenerationVersion };
    if (trigger === 'CustomMessage' && def.emailSendingAccount === 'DEVELOPER')
      pool.emailConfiguration = {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: `arn:aws:ses:${pool.region}:000000000000:identity/example.com`,
      };
    changed = true;
  }
  if (changed) pool.lambdaConfig = config;
  return changed;
}
