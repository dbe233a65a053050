import type { AttachmentUpload } from '@app/api-contract';
import { ApiError } from './problem.ts';

/**
 * PUTs a file to its presigned URL with XMLHttpRequest, whose upload events report progress
 * (fetch has none). `onProgress` gets 0–1. Rejects with an ApiError: status 0 when the file server
 * cannot be reached, else the server's status.
 */
export function putFile(
  upload: AttachmentUpload,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    // Exactly the signed headers; the browser sets Content-Length from the body itself.
    for (const [name, value] of Object.entries(upload.headers))
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new ApiError(xhr.status, `The file server refused the upload (${xhr.status}).`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'Cannot reach the file server. Try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'The upload was cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
