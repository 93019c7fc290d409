import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake source does for a path. */
export type SourceReply =
  | { kind: 'serve'; body: string; etag?: string; lastModified?: string }
  | { kind: 'status'; status: number }
  | { kind: 'hang' };

/**
 * A local HTTP server that plays a schedule source: serves a body with an ETag (answering 304 to a
 * matching If-None-Match / If-Modified-Since), fails with a status, or never answers. Records requests.
 */
export async function startSourceServer() {
  const replies = new Map<string, SourceReply>();
  const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, headers: request.headers });
    const reply = replies.get(path) ?? { kind: 'status', status: 404 };
    if (reply.kind === 'hang') return; // never answers
    if (reply.kind === 'status') return end(response, reply.status, 'error');
    const matches = reply.etag ? request.headers['if-none-match'] === reply.etag : reply.lastModified !== undefined && request.headers['if-modified-since'] === reply.lastModified;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (reply.etag) headers.etag = reply.etag;
    if (reply.lastModified) headers['last-modified'] = reply.lastModified;
    if (matches) {
      response.writeHead(304, headers);
      return response.end();
    }
    response.writeHead(200, headers);
    response.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    requests,
    reply(path: string, what: SourceReply) {
      replies.set(path, what);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function end(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end(body);
}
