import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request through node:http, for what fetch cannot do: a chosen source address on the
 * loopback network (127.0.0.2 is "another client"), or a header fetch refuses to send.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * A raw TCP client that writes exactly what it is told (a request whose body never comes, or comes
 * slowly) and records what the server answers and whether it closed the connection.
 */
export class RawClient {
  readonly socket: Socket;
  received = '';
  closedAt: number | null = null;
  private readonly openedAt = Date.now();
  private readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.socket.on('error', () => {}); // a reset after the answer is what some tests expect
    this.closed = new Promise((resolve) => this.socket.once('close', () => {
      this.closedAt = Date.now() - this.openedAt;
      resolve();
    }));
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** The status line's code once a full response head has arrived, waiting up to `timeoutMs`. */
  async status(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = /^HTTP\/1\.1 (\d{3})[^\r\n]*\r\n[\s\S]*?\r\n\r\n/.exec(this.received);
      if (match) return Number(match[1]);
      if (this.closedAt !== null) return null;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return null;
  }

  /** Resolves true when the server closes the connection within `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([this.closed.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
