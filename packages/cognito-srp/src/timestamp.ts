import { SrpInputError } from './errors.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The TIMESTAMP Cognito signs: "ddd MMM D HH:mm:ss UTC YYYY" in UTC, e.g. "Tue Nov 3 04:05:06 UTC 2026".
 * The day of month is NOT zero-padded (DateHelper.getNowString); hours, minutes, seconds are.
 */
export function formatTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new SrpInputError('timestamp date is invalid');
  const weekday = WEEKDAYS[date.getUTCDay()];
  const month = MONTHS[date.getUTCMonth()];
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${weekday} ${month} ${date.getUTCDate()} ${time} UTC ${date.getUTCFullYear()}`;
}

const TIMESTAMP =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/**
 * Reads a TIMESTAMP back (a server may want to bound clock skew). Accepts a zero-padded day too,
 * as other SDKs send one. Throws SrpInputError on anything else, including a wrong weekday.
 */
export function parseTimestamp(timestamp: string): Date {
  const m = TIMESTAMP.exec(timestamp);
  const month = m ? MONTHS.indexOf(m[2]!) : -1;
  if (!m || month < 0) {
    throw new SrpInputError('TIMESTAMP must look like "Tue Nov 3 04:05:06 UTC 2026"');
  }
  const [, weekday, , day, hh, mm, ss, year] = m;
  const date = new Date(Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)));
  const consistent =
    date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hh) &&
    date.getUTCMinutes() === Number(mm) &&
    date.getUTCSeconds() === Number(ss) &&
    WEEKDAYS[date.getUTCDay()] === weekday;
  if (!consistent) throw new SrpInputError('TIMESTAMP is not a real date');
  return date;
}
