import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

/** The body is over the limit (a declared Content-Length is refused before anything is read). */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The body is larger than ${limitBytes} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** The body did not arrive within the deadline. */
export class BodyTimeoutError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`The body did not arrive within ${deadlineMs} ms.`);
    this.name = 'BodyTimeoutError';
  }
}

/** The client went away before the body was complete: its problem, not the server's. */
export class BodyAbortedError extends Error {
  constructor() {
    super('The client closed the connection before the body was complete.');
    this.name = 'BodyAbortedError';
  }
}

/**
 * Reads a request body as UTF-8 text with raw-body (what Koa's body parsers use): refused past
 * `limitBytes` without buffering the rest, and given up on after `deadlineMs`, so a client
 * trickling its body cannot hold a request open for long. The caller answers and closes the
 * connection on any of the errors above.
 */
export function readBodyText(request: IncomingMessage, options: { limitBytes: number; deadlineMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new BodyTimeoutError(options.deadlineMs)), options.deadlineMs);
    getRawBody(request, { length: request.headers['content-length'], limit: options.limitBytes }, (error, body) => {
      clearTimeout(timer);
      if (error) reject(classify(error, options.limitBytes));
      else resolve(body.toString('utf8'));
    });
  });
}

function classify(error: Error & { type?: string; code?: string }, limitBytes: number): Error {
  if (error.type === 'entity.too.large') return new BodyTooLargeError(limitBytes);
  // raw-body reports a connection closed mid-body as "request aborted"; Node's own stream error
  // for it is "aborted" with ECONNRESET.
  if (error.type === 'request.aborted' || error.code === 'ECONNRESET') return new BodyAbortedError();
  return error;
}
