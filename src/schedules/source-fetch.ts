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
    const response = await (options.fetch ?? fetch)(url, { headers, signal, redirect: 'follow' });
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
