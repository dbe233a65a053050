/**
 * The header CloudFront adds to every request it sends to the ALB, with a secret value; the ALB
 * forwards only requests that carry it (ADR 0177). The prefix list admits every CloudFront
 * distribution, of any account: the secret admits only this one.
 */
export const originVerifyHeader = 'x-origin-verify';
