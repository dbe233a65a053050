import type { IncomingMessage, ServerResponse } from 'node:http';
import { CognitoError, serialization } from './errors.ts';
import type { Input } from './params.ts';

export const targetPrefix = 'AWSCognitoIdentityProviderService.';
const maxBody = 1024 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<Input> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw serialization('Request body is larger than 1 MB.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw serialization('The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw serialization('The request body must be a JSON object.');
  return parsed as Input;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Cognito's error response: status, {"__type","message"} and the x-amzn-ErrorType header. */
export function sendError(res: ServerResponse, err: CognitoError) {
  sendJson(
    res,
    err.status,
    { __type: err.type, message: err.message },
    { 'x-amzn-ErrorType': `${err.type}:`, 'x-amzn-ErrorMessage': err.message },
  );
}

export const isCognitoError = (e: unknown): e is CognitoError => e instanceof CognitoError;
