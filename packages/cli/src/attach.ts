import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, extname } from 'node:path';
import type { Attachment, AttachmentUpload } from '@app/api-contract';
import type { Api } from './api.ts';
import { CliError, EXIT } from './errors.ts';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
};

/** Draws `[#####-----]  50%  1.2 MB / 2.4 MB` on a terminal; elsewhere one line per quarter. */
export function progressBar(total: number, out: NodeJS.WriteStream = process.stderr) {
  let lastQuarter = -1;
  return (sent: number) => {
    const ratio = total === 0 ? 1 : sent / total;
    const pct = Math.floor(ratio * 100);
    if (out.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      out.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${sent}/${total} bytes`,
      );
      if (sent >= total) out.write('\n');
    } else if (Math.floor(pct / 25) > lastQuarter) {
      lastQuarter = Math.floor(pct / 25);
      out.write(`uploaded ${pct}% (${sent}/${total} bytes)\n`);
    }
  };
}

/** PUTs the file to the presigned URL with exactly the signed headers, reporting bytes as they go. */
function put(upload: AttachmentUpload, file: string, size: number, onProgress: (sent: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const url = new URL(upload.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, {
      method: upload.method,
      headers: { ...upload.headers, 'content-length': String(size) },
    });
    req.on('response', (res) => {
      res.resume();
      if (res.statusCode === 200) resolve();
      else reject(new CliError(`the storage refused the upload (${res.statusCode})`, EXIT.refused));
    });
    req.on('error', (err) => reject(new CliError(`upload failed (${err.message})`, EXIT.failed)));
    let sent = 0;
    const stream = createReadStream(file);
    stream.on('data', (chunk) => {
      sent += chunk.length;
      onProgress(sent);
    });
    stream.on('error', (err) => req.destroy(err));
    stream.pipe(req);
  });
}

/** Signs an upload for the item, PUTs the file to S3 and has the API check and record it. */
export async function attach(
  api: Api,
  itemId: string,
  file: string,
  opts: { type?: string; progress: (total: number) => (sent: number) => void },
): Promise<Attachment> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`cannot read ${file}`, EXIT.usage);
  }
  const contentType = opts.type ?? TYPES[extname(file).toLowerCase()];
  if (!contentType)
    throw new CliError(`unknown file type for ${file}: pass --type (e.g. --type text/plain)`, EXIT.usage);
  const declared = { name: basename(file), content_type: contentType, size };
  const upload = await api.request<AttachmentUpload>(
    'POST',
    `/items/${itemId}/attachments/uploads`,
    declared,
  );
  await put(upload, file, size, opts.progress(size));
  return api.request<Attachment>('POST', `/items/${itemId}/attachments`, {
    upload_id: upload.upload_id,
    ...declared,
  });
}
