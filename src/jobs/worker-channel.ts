import { parentPort, workerData } from 'node:worker_threads';

/**
 * A job's side of its WorkerHost (worker-host.ts): what it was started with, the requests the
 * main thread sends, and the answers back. Used only inside a worker thread.
 */
export interface ParentChannel<Data, Request, Answer> {
  /** The host's `data`. */
  readonly data: Data;
  /** Each request the host sends; anything that is not one is ignored. */
  onRequest(handler: (request: Request) => void): void;
  /** The host is stopping (Bree posts 'cancel'): finish, clean up, exit. */
  onCancel(handler: () => void): void;
  /** `transfer` hands buffers over without a copy (they are unusable here afterwards). */
  post(answer: Answer, transfer?: ArrayBuffer[]): void;
}

/** A job that takes no requests (only 'cancel') accepts nothing by default. */
const noRequests = <Request>(_message: unknown): _message is Request => false;

export function parentChannel<Data, Request = never, Answer = never>(
  isRequest: (message: unknown) => message is Request = noRequests,
): ParentChannel<Data, Request, Answer> {
  if (!parentPort) throw new Error('This file is a worker job: it runs in a worker thread started by its WorkerHost, not on its own.');
  const port = parentPort;
  return {
    data: workerData as Data,
    onRequest: (handler) => port.on('message', (message: unknown) => isRequest(message) && handler(message)),
    onCancel: (handler) => port.on('message', (message: unknown) => message === 'cancel' && handler()),
    post: (answer, transfer = []) => port.postMessage(answer, transfer),
  };
}

/**
 * Ends the worker with code 0 after `cleanUp`: a terminate() from Bree would count as a failure
 * (code 1), so a job exits on its own once cancelled.
 */
export function exitWorker(cleanUp: () => void = () => undefined): never {
  cleanUp();
  process.exit(0);
}
