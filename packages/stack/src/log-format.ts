/**
 * How `npm start` prints its parts' lines (ADR 0102). `pretty` (the default on a terminal): one
 * readable line per event, `[part] message`, the part named once even when its own line already
 * names it; the API's and IdP's JSON become `GET /path → 200 (3 ms)` or `message key=value`.
 * `json` (the default when stdout is not a terminal, or LOG_FORMAT=json): one JSON object per line,
 * the parts' own JSON kept as written plus a `part` field, plain lines wrapped — for log shippers.
 */
export type LogFormat = 'pretty' | 'json';

export function chooseLogFormat(value: string | undefined, isTTY: boolean): LogFormat {
  if (value === undefined || value === '') return isTTY ? 'pretty' : 'json';
  if (value === 'pretty' || value === 'json') return value;
  throw new Error(`LOG_FORMAT must be pretty or json, got "${value}"`);
}

const pinoLevels: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
/** Fields every line has or nobody reads in a terminal. */
const quiet = new Set([
  'time',
  'level',
  'pid',
  'hostname',
  'msg',
  'reqId',
  'requestId',
  'req',
  'res',
  'responseTime',
]);
const colours: Record<string, string> = {
  idp: '\x1b[35m',
  api: '\x1b[36m',
  web: '\x1b[32m',
  dynamodb: '\x1b[33m',
  s3: '\x1b[34m',
};

function value(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON log record (pino's or the IdP's) as one readable line, with its level when above info. */
function readable(entry: Record<string, unknown>): { level: string; text: string } {
  const level =
    typeof entry.level === 'number' ? (pinoLevels[entry.level] ?? 'info') : String(entry.level ?? 'info');
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  let text: string;
  if (req?.method && res?.statusCode !== undefined) {
    text = `${req.method} ${req.url ?? ''} → ${res.statusCode} (${entry.responseTime ?? '?'} ms)`;
  } else if (
    typeof entry.method === 'string' &&
    typeof entry.path === 'string' &&
    entry.status !== undefined
  ) {
    text = `${entry.method} ${entry.path}${entry.op ? ` ${entry.op}` : ''} → ${entry.status} (${entry.ms ?? '?'} ms)`;
  } else {
    const extras = Object.entries(entry)
      .filter(([k]) => !quiet.has(k))
      .map(([k, v]) =>
        k === 'err' && typeof v === 'object' && v
          ? `err=${value((v as { message?: unknown }).message ?? v)}`
          : `${k}=${value(v)}`,
      );
    text = [String(entry.msg ?? ''), ...extras].filter(Boolean).join('  ');
  }
  return { level, text };
}

/** One line a part (or the start script, part "start") printed, ready for stdout. */
export type LineFormatter = (part: string, line: string) => string;

export function lineFormatter(format: LogFormat, colour: boolean): LineFormatter {
  if (format === 'json') {
    return (part, line) => {
      const entry = parseJson(line);
      if (entry) return `{"part":${JSON.stringify(part)},${line.slice(1)}`;
      return JSON.stringify({ time: new Date().toISOString(), level: 'info', part, msg: line });
    };
  }
  return (part, line) => {
    const tag = colour ? `${colours[part] ?? ''}[${part}]\x1b[0m` : `[${part}]`;
    const entry = parseJson(line);
    if (!entry) {
      // The IdP names itself in its own lines: print the name once.
      const own = `[${part}] `;
      return `${tag} ${line.startsWith(own) ? line.slice(own.length) : line}`;
    }
    const { level, text } = readable(entry);
    const shown = level === 'info' || level === 'debug' || level === 'trace' ? '' : `${level.toUpperCase()} `;
    return `${tag} ${shown}${text}`;
  };
}
