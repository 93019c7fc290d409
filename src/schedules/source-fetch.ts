/** What one conditional GET of a source gave. */
export type FetchOutcome =
  | { kind: 'fresh'; body: string; etag: string | null; lastModified: string | null }
  | { kind: 'not-modified' }
  | { kind: 'failed'; error: string };

export interface FetchOptions {
  /** Replaced in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  timeoutMs: number;
  /** Bodies beyond this are refused (real files are ~10–110 KB). */
  maxBytes?: number;
  /** Ends the request early (the service is stopping). */
  signal?: AbortSignal;
}

/** The validators of the copy we hold, sent so an unchanged source answers 304 with no body. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const USER_AGENT = 'power-outage-monitor (outage schedule poller)';

/** One GET with If-None-Match / If-Modified-Since; never throws, a failure says what went wrong. */
export async function fetchSource(url: string, validators: Validators | null, options: FetchOptions): Promise<FetchOutcome> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const followed = await followRedirects(url, (target) => (options.fetch ?? fetch)(target, { headers, signal, redirect: 'manual' }));
    if ('error' in followed) return { kind: 'failed', error: followed.error };
    const { response } = followed;
    if (response.status === 304) {
      await response.body?.cancel();
      return validators ? { kind: 'not-modified' } : { kind: 'failed', error: 'HTTP 304 to a request without validators' };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return { kind: 'failed', error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
    }
    const body = await readLimited(response, options.maxBytes ?? DEFAULT_MAX_BYTES);
    if (body === null) return { kind: 'failed', error: `the body is larger than ${options.maxBytes ?? DEFAULT_MAX_BYTES} bytes` };
    return { kind: 'fresh', body, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
  } catch (error) {
    if (options.signal?.aborted) return { kind: 'failed', error: 'the request was cancelled' };
    if (timeout.aborted) return { kind: 'failed', error: `no answer within ${Math.round(options.timeoutMs / 100) / 10} s` };
    return { kind: 'failed', error: describeNetworkError(error) };
  }
}

/** Redirects followed before the source counts as failing ("too many redirects"). */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Follows a source's redirects itself, so a failure says what happened instead of "fetch failed":
 * a loop names the addresses going round, a long chain is cut after MAX_REDIRECTS. Only redirects
 * on the same host are followed (http → https there included): a source's address is set by the
 * operator, and a file served from another host is not that source — a moved file is followed by
 * setting the new address, and the failure names it.
 */
async function followRedirects(url: string, get: (target: string) => Promise<Response>): Promise<{ response: Response } | { error: string }> {
  const chain = [url];
  let current = new URL(url);
  for (;;) {
    const response = await get(current.href);
    if (!REDIRECT_STATUSES.has(response.status)) return { response };
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) return { error: `HTTP ${response.status} redirect without a Location` };
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return { error: `HTTP ${response.status} redirect to an unreadable address ${JSON.stringify(location.slice(0, 200))}` };
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') return { error: `redirected to ${next.protocol} ${next.href}, which is not fetched` };
    if (next.hostname !== current.hostname) {
      return { error: `redirected to another host (${current.hostname} → ${next.href}); not followed: if the file has moved there, set the source's address to it` };
    }
    if (chain.includes(next.href)) return { error: `redirect loop: ${[...chain, next.href].join(' → ')}` };
    chain.push(next.href);
    if (chain.length > MAX_REDIRECTS + 1) return { error: `too many redirects (more than ${MAX_REDIRECTS}): ${chain.join(' → ')}` };
    current = next;
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : null;
  return code ? `${error.message} (${code})` : error.message;
}
