// Types for docker/static-request.mjs (plain ESM so the web image can run it without a build).
import type { IncomingMessage, ServerResponse } from 'node:http';

export declare const MAX_TARGET_LENGTH: number;
export declare function safeDecodePath(
  target: string | undefined,
): { ok: true; path: string } | { ok: false; status: 400 | 414; message: string };
export declare function fileInside(root: string, path: string): string | undefined;
export declare function isFile(file: string): boolean;
export declare function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers?: Record<string, string>,
): void;
export declare function allowReadOnly(req: IncomingMessage, res: ServerResponse): boolean;
export declare function streamFile(res: ServerResponse, file: string): void;
export declare function guardRequests<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: (req: Req, res: Res) => unknown,
): (req: Req, res: Res) => void;
