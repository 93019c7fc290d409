import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The body is larger than ${limitBytes} bytes.`);
  }
}

/**
 * Reads a request body as UTF-8 text, refusing past `limitBytes` without buffering the rest.
 * A declared Content-Length over the limit is refused before reading anything.
 */
export async function readBodyText(request: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
