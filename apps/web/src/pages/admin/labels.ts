/** Words and tones for what the admin console shows (ADR 0151, 0152). */

/**
 * Cognito's account statuses in words, each with its own badge tone: only CONFIRMED is green. The
 * keys are the API's USER_STATUSES (not imported: a value import would bring TypeBox into the chunk).
 */
export const STATUS: Record<string, { label: string; tone: 'ok' | 'warn' | 'info' | 'neutral' }> = {
  CONFIRMED: { label: 'Confirmed', tone: 'ok' },
  UNCONFIRMED: { label: 'Unconfirmed', tone: 'warn' },
  FORCE_CHANGE_PASSWORD: { label: 'Invited', tone: 'info' },
  RESET_REQUIRED: { label: 'Reset required', tone: 'warn' },
  EXTERNAL_PROVIDER: { label: 'Federated', tone: 'neutral' },
};

export const statusOf = (status: string) => STATUS[status] ?? { label: status, tone: 'neutral' as const };

/** The audit list's actions in words. */
export const ACTIONS: Record<string, string> = {
  'account.deleted_by_self': 'deleted their own account',
  'user.created': 'invited',
  'user.deleted': 'deleted',
  'user.disabled': 'disabled',
  'user.enabled': 'enabled',
  'user.password_reset': 'reset the password of',
  'user.password_set': 'set the password of',
  'user.signed_out': 'signed out everywhere',
  'user.mfa_reset': 'reset MFA of',
  'user.group_added': 'added to a group',
  'user.group_removed': 'removed from a group',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDate = (iso: string) => dateOnly.format(new Date(iso));
