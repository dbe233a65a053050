/**
 * The Cognito user-pool operations the API calls that Cognito authorizes with IAM (SigV4-signed):
 * the task role is granted exactly these, on the stack's pool. Public and token-authorized
 * operations (SignUp, InitiateAuth, GetUser, ...) need no IAM permission.
 *
 * Not a free choice: infra/test/iam.test.ts collects every command the API sends (apps/api/src),
 * asks the API's own AWS SDK which of them it signs, and fails when this list differs (ADR 0086).
 */
export const cognitoIamActions = [
  'AdminAddUserToGroup',
  'AdminCreateUser',
  'AdminDeleteUser',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminGetUser',
  'AdminListGroupsForUser',
  'AdminRemoveUserFromGroup',
  'AdminResetUserPassword',
  'AdminSetUserMFAPreference',
  'AdminSetUserPassword',
  'AdminUserGlobalSignOut',
  'DescribeUserPool',
  'ListGroups',
  'ListUsers',
  'ListUsersInGroup',
] as const;
