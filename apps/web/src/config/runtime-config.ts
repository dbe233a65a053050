/**
 * What `/config.json` holds: the values a deployment hands the one build. Written by one function,
 * `webConfig()` in packages/stack (the local stack, e2e, compose and CDK all call it).
 */
export interface RuntimeConfig {
  userPoolId: string;
  clientId: string;
  region: string;
  /** Absolute URL of the API, or '' for the SPA's own origin (CloudFront forwards /api/*). */
  apiUrl: string;
  /** Only for a Cognito-compatible endpoint other than AWS (the local IdP). */
  cognitoEndpoint?: string;
}
