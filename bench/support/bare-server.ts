// The reference for bench:ingest: a bare Node `http` server that does what any heartbeat endpoint
// must (read the body, answer a small JSON) and nothing else — no key lookup, no storage. The
// service's heartbeats/s over this one's, in the same run, says how close it is to the machine's
// limit for this request shape.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.stringify({ ok: true, server_time: Date.now(), interval_s: 10, size: Buffer.concat(chunks).length });
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (message) => {
  if (message === 'stop') server.close(() => process.exit(0));
  if (message === 'cpu') {
    const usage = process.cpuUsage();
    process.send?.({ cpuMicros: usage.user + usage.system });
  }
});
