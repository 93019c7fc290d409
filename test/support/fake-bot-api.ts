/**
 * A local fake of the Telegram Bot API for tests (DESIGN §9, §11).
 *
 * The real grammY bot talks to it over HTTP through `client: { apiRoot }`, so the whole client
 * stack (payload encoding, multipart uploads, error mapping, long polling, auto-retry) is
 * exercised. The fake keeps just enough state to answer like Telegram for what this project
 * uses: sent messages per chat (so edits, deletes and pins can fail the way Telegram fails),
 * pins, chats and their members, commands, a getUpdates queue, and injectable failures.
 *
 * It is deliberately lenient where leniency keeps tests short (any numeric chat id can receive
 * messages; unknown file ids are accepted) and strict where the project has real failure modes
 * to test (HTML that would not parse, callback data over 64 bytes, editing a vanished message,
 * "message is not modified", missing channel rights).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type {
  BotCommand,
  Chat,
  ChatFullInfo,
  ChatMember,
  ChatMemberAdministrator,
  Document,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  PhotoSize,
  ResponseParameters,
  Update,
  User,
  UserFromGetMe,
} from 'grammy/types';
import { captionRefusal, messageTextRefusal } from './telegram-limits.js';
import { keyboardRefusal } from './keyboard-limits.js';

// ---------------------------------------------------------------------------------------------
// Public types

/** Parameters of one call, as parsed from JSON, urlencoded, query string or multipart. */
export type Params = Record<string, unknown>;

/** A file part of a multipart upload, recorded under its form field name. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** Why a call did not get an `ok: true` answer. `injected` marks failures from `failNext`. */
export type CallFailure =
  | { error_code: number; description: string; injected: boolean }
  | { hang: true }
  | { drop: true };

export interface RecordedCall {
  method: string;
  token: string;
  params: Params;
  /** Arrival time (ms since epoch), for rate and spacing checks. */
  at: number;
  /** The `result` the fake answered with, when it answered `ok: true`. */
  result?: unknown;
  failed?: CallFailure;
}

/**
 * A failure to inject. `code` answers like Telegram with that error code (429 carries
 * `retry_after`); `hang` never answers (until `close()`); `drop` destroys the connection, which
 * grammY reports as an `HttpError` (a network error).
 */
export type FailureSpec =
  | { code: number; description?: string; retryAfter?: number; migrateTo?: number }
  | { hang: true }
  | { drop: true };

/** Restricts which calls consume an injected failure. */
export interface FailureFilter {
  method?: string;
  chatId?: number | string;
}

export interface FakeBotIdentity {
  id: number;
  first_name: string;
  username: string;
}

export interface FakeBotApiOptions {
  /** The bot user answered by getMe and used as `from` of sent messages. */
  bot?: Partial<FakeBotIdentity>;
  /** Chats known to getChat/getChatMember and used for `@username` chat ids. */
  chats?: Chat[];
  /** When set, other tokens get 401 Unauthorized, like Telegram for a revoked token. */
  token?: string;
  /** Longest a getUpdates long poll waits, whatever `timeout` asks, so nothing idles long. */
  longPollCapMs?: number;
  /** Added before every answer, to imitate a slow network in benchmarks. */
  latencyMs?: number;
  /** Clock for message `date` fields (ms). Call `at` always uses the real clock. */
  now?: () => number;
}

/** A user as tests like to write one: only `id` is required. */
export type UserInput = Pick<User, 'id'> & Partial<User>;

/** A chat member without `user` (the fake fills it in from the user id). */
export type ChatMemberInput = WithOptionalUser<ChatMember>;
type WithOptionalUser<M> = M extends unknown ? Omit<M, 'user'> & { user?: User } : never;

/** Admin rights that can be overridden in `administrator()`. */
export type AdministratorRights = Partial<Omit<ChatMemberAdministrator, 'status' | 'user'>>;

// ---------------------------------------------------------------------------------------------
// Entry point

export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const fake = new FakeBotApi(options);
  await fake.listen();
  return fake;
}

// ---------------------------------------------------------------------------------------------
// Errors answered to the client

/** Thrown by method handlers; turned into `{ ok: false, error_code, description }`. */
class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

function injectedError(spec: { code: number; description?: string; retryAfter?: number; migrateTo?: number }): ApiError {
  if (spec.migrateTo !== undefined) {
    return new ApiError(400, spec.description ?? 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: spec.migrateTo });
  }
  if (spec.code === 429) {
    const retryAfter = spec.retryAfter ?? 1;
    return new ApiError(429, spec.description ?? `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    });
  }
  return new ApiError(spec.code, spec.description ?? defaultDescription(spec.code));
}

function defaultDescription(code: number): string {
  switch (code) {
    case 400:
      return 'Bad Request: chat not found';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot is not a member of the channel chat';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    default:
      return `Error ${code}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Request parsing

type Route =
  | { kind: 'method'; token: string; method: string }
  | { kind: 'file' }
  | { kind: 'unknown' };

function parseRoute(pathname: string): Route {
  const method = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(pathname);
  if (method?.[1] !== undefined && method[2] !== undefined) {
    return { kind: 'method', token: decodeURIComponent(method[1]), method: method[2] };
  }
  if (pathname.startsWith('/file/bot')) return { kind: 'file' };
  return { kind: 'unknown' };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** Query string first, body on top: Telegram accepts parameters in either place. */
async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = textFieldsToParams(url.searchParams.entries());
  const body = await readBody(req);
  if (body.length === 0) return params;
  const contentType = req.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json') return { ...params, ...parseJsonBody(body) };
  if (mediaType === 'multipart/form-data') return { ...params, ...parseMultipart(body, contentType) };
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === '') {
    return { ...params, ...textFieldsToParams(new URLSearchParams(body.toString('utf8')).entries()) };
  }
  throw badRequest(`unsupported content type "${mediaType}"`);
}

function parseJsonBody(body: Buffer): Params {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest("can't parse JSON object");
  }
  if (!isRecord(parsed)) throw badRequest('JSON body must be an object');
  return parsed;
}

/** Text fields arrive as strings; keep them so, except ids and JSON-looking values. */
function textFieldsToParams(entries: Iterable<[string, string]>): Params {
  const params: Params = {};
  for (const [name, value] of entries) params[name] = coerceTextField(name, value);
  return params;
}

const NUMERIC_ID_FIELDS = new Set(['chat_id', 'message_id']);

function coerceTextField(name: string, value: string): unknown {
  if (NUMERIC_ID_FIELDS.has(name) && /^-?\d+$/.test(value)) return Number(value);
  const trimmed = value.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // Not JSON after all (a text starting with a bracket): keep it as text.
    }
  }
  return value;
}

/**
 * A lenient multipart/form-data parser. grammY writes headers without spaces
 * (`content-disposition:form-data;name="x";filename=photo.jpg`) and unquoted filenames, so this
 * accepts both spellings, LF or CRLF line breaks, and a missing closing delimiter.
 */
export function parseMultipart(body: Buffer, contentType: string): Params {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundaryText = boundary?.[1] ?? boundary?.[2];
  if (boundaryText === undefined) throw badRequest('multipart body without a boundary');
  const params: Params = {};
  for (const part of splitMultipart(body, boundaryText)) {
    const { headers, content } = splitPartHeaders(part);
    const disposition = parseHeaderParameters(headers.get('content-disposition') ?? '');
    const name = disposition.get('name');
    if (name === undefined) continue; // A part nobody can refer to: ignore it.
    const filename = disposition.get('filename');
    params[name] =
      filename === undefined
        ? coerceTextField(name, content.toString('utf8'))
        : {
            filename,
            contentType: headers.get('content-type') ?? 'application/octet-stream',
            bytes: Buffer.from(content),
          } satisfies UploadedFile;
  }
  return params;
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const afterDelimiter = position + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') === '--') break;
    const start = skipLineBreak(body, afterDelimiter);
    const next = findNextDelimiter(body, delimiter, start);
    parts.push(body.subarray(start, next === -1 ? body.length : next));
    if (next === -1) break;
    position = body.indexOf(delimiter, next);
  }
  return parts;
}

/** The next delimiter must start a line; returns the index of that line break. */
function findNextDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  const crlf = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), from);
  if (crlf !== -1) return crlf;
  return body.indexOf(Buffer.concat([Buffer.from('\n'), delimiter]), from);
}

function skipLineBreak(body: Buffer, index: number): number {
  if (body[index] === 0x0d && body[index + 1] === 0x0a) return index + 2;
  if (body[index] === 0x0a) return index + 1;
  return index;
}

function splitPartHeaders(part: Buffer): { headers: Map<string, string>; content: Buffer } {
  let end = part.indexOf('\r\n\r\n');
  let separatorLength = 4;
  if (end === -1) {
    end = part.indexOf('\n\n');
    separatorLength = 2;
  }
  if (end === -1) return { headers: new Map(), content: part };
  const headers = new Map<string, string>();
  for (const line of part.subarray(0, end).toString('utf8').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, content: part.subarray(end + separatorLength) };
}

/** `form-data; name="a"; filename=b.png` → { name: 'a', filename: 'b.png' }. */
function parseHeaderParameters(header: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const match of header.matchAll(/;\s*([A-Za-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    const key = match[1]?.toLowerCase();
    const value = match[2]?.replace(/\\(.)/g, '$1') ?? match[3]?.trim();
    if (key !== undefined && value !== undefined) parameters.set(key, value);
  }
  return parameters;
}

// ---------------------------------------------------------------------------------------------
// Reading parameters inside handlers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return isRecord(value) && typeof value.filename === 'string' && Buffer.isBuffer(value.bytes);
}

function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** Integers may arrive as numbers (JSON) or numeric strings (forms, query strings). */
function optionalInteger(params: Params, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (value === undefined || value === null) return undefined;
  throw badRequest(`field "${name}" must be an integer`);
}

function requiredMessageId(params: Params): number {
  const id = optionalInteger(params, 'message_id');
  if (id === undefined) throw badRequest('message identifier is not specified');
  return id;
}

/** Objects arrive decoded (JSON bodies, JSON-looking form fields) or, rarely, as JSON text. */
function decodedField(params: Params, name: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw badRequest(`can't parse ${name} JSON object`);
  }
}

function optionalObject(params: Params, name: string): Record<string, unknown> | undefined {
  const value = decodedField(params, name);
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw badRequest(`field "${name}" must be a JSON object`);
  return value;
}

function optionalArray(params: Params, name: string): unknown[] | undefined {
  const value = decodedField(params, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest(`field "${name}" must be a JSON array`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Telegram's text rules that the project can get wrong

const SUPPORTED_HTML_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'span',
  'tg-spoiler', 'tg-emoji', 'blockquote',
]);

/**
 * Checks HTML the way Telegram's parser refuses it, so a test catches an unescaped user-typed
 * name (`<b>x`) instead of a real channel silently losing an alert. Returns the error or
 * undefined.
 */
export function htmlParseError(text: string): string | undefined {
  const open: string[] = [];
  let index = text.indexOf('<');
  while (index !== -1) {
    const offset = Buffer.byteLength(text.slice(0, index));
    const end = text.indexOf('>', index);
    if (end === -1) return `Can't find end of the tag at byte offset ${offset}`;
    const inner = text.slice(index + 1, end);
    const name = /^\/?([A-Za-z][A-Za-z0-9-]*)/.exec(inner)?.[1]?.toLowerCase();
    if (name === undefined) return `Unexpected end of name token at byte offset ${offset}`;
    if (inner.startsWith('/')) {
      const expected = open.pop();
      if (expected === undefined) return `Unexpected end tag at byte offset ${offset}`;
      if (expected !== name) {
        return `Unmatched end tag at byte offset ${offset}, expected "</${expected}>", found "</${name}>"`;
      }
    } else {
      if (!SUPPORTED_HTML_TAGS.has(name)) return `Unsupported start tag "${name}" at byte offset ${offset}`;
      open.push(name);
    }
    index = text.indexOf('<', end);
  }
  const unclosed = open.at(-1);
  return unclosed === undefined ? undefined : `Can't find end tag corresponding to start tag "${unclosed}"`;
}

function checkFormattedText(text: string, parseMode: string | undefined, kind: 'text' | 'caption'): void {
  if (parseMode?.toLowerCase() === 'html') {
    const error = htmlParseError(text);
    if (error !== undefined) throw badRequest(`can't parse entities: ${error}`);
  }
  const refusal = kind === 'text' ? messageTextRefusal(text, parseMode) : captionRefusal(text, parseMode);
  if (refusal !== undefined) throw badRequest(refusal);
}

/**
 * Only inline keyboards are part of a Message; reply keyboards (e.g. the request_chat picker)
 * are accepted and dropped. Callback data over 64 bytes is refused like Telegram refuses it.
 */
function readInlineKeyboard(params: Params): InlineKeyboardMarkup | undefined {
  const markup = optionalObject(params, 'reply_markup');
  const rows = markup?.inline_keyboard;
  if (!Array.isArray(rows)) return undefined;
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest('inline keyboard rows must be arrays');
    for (const button of row) {
      if (!isRecord(button) || typeof button.text !== 'string') throw badRequest("can't parse inline keyboard button");
      const data = button.callback_data;
      if (typeof data === 'string' && (data.length === 0 || Buffer.byteLength(data) > 64)) {
        throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
  // Shape checked above as far as the fake relies on it.
  return rows.length === 0 ? undefined : (markup as unknown as InlineKeyboardMarkup);
}

/** Stable JSON (sorted keys), so "not modified" does not depend on property order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isRecord(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
}

function sameMarkup(a: InlineKeyboardMarkup | undefined, b: InlineKeyboardMarkup | undefined): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/** A leading /command gets a bot_command entity, as Telegram clients send it. */
export function commandEntities(text: string): MessageEntity[] | undefined {
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Member helpers

/** A channel/group administrator; defaults are what the bot needs in an alert channel. */
export function administrator(user: User, rights: AdministratorRights = {}): ChatMemberAdministrator {
  return {
    status: 'administrator',
    user,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: false,
    can_restrict_members: false,
    can_promote_members: false,
    can_change_info: false,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_send_welcome_messages: false,
    can_post_messages: true,
    can_edit_messages: true,
    ...rights,
  };
}

function toUser(input: UserInput): User {
  return { is_bot: false, first_name: `User ${input.id}`, ...input };
}

function isChannelId(chatId: number): boolean {
  return String(chatId).startsWith('-100');
}

/** getChat answers ChatFullInfo, which has a few required fields a plain Chat lacks. */
function toFullInfo(chat: Chat): ChatFullInfo {
  const extras = {
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
      gifts_from_channels: false,
    },
  };
  switch (chat.type) {
    case 'private':
      return { ...chat, ...extras };
    case 'group':
      return { ...chat, ...extras };
    case 'supergroup':
      return { ...chat, ...extras };
    case 'channel':
      return { ...chat, ...extras };
  }
}

export function gapsMs(calls: readonly RecordedCall[]): number[] {
  return calls.slice(1).map((call, index) => call.at - (calls[index]?.at ?? call.at));
}

/** The file an `attach://name` reference (or the value itself) points to within one call. */
export function attachedFile(call: RecordedCall, reference: unknown): UploadedFile | undefined {
  if (isUploadedFile(reference)) return reference;
  if (typeof reference !== 'string' || !reference.startsWith('attach://')) return undefined;
  const file = call.params[reference.slice('attach://'.length)];
  return isUploadedFile(file) ? file : undefined;
}

/** Width and height from a PNG header; Telegram reports real sizes, tests may check them. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== signature) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

// ---------------------------------------------------------------------------------------------
// The fake

interface ChatState {
  nextMessageId: number;
  messages: Map<number, Message>;
  pinned: number[];
  members: Map<number, ChatMember>;
}

interface FailureRule {
  remaining: number;
  spec: FailureSpec;
  filter: FailureFilter;
}

interface CallWaiter {
  matches: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
}

/** What a sent or edited media message shows, to tell "not modified" apart. */
type MediaIdentity = { kind: 'photo' | 'document'; fileId: string; bytes?: Buffer };

type Handler = (params: Params, signal: AbortSignal) => unknown;

type Outcome = { result: unknown } | { error: unknown; injected?: boolean };

export class FakeBotApi {
  readonly botUser: UserFromGetMe;
  /** Every call in the order it was answered (failed ones too, with `failed`). */
  readonly calls: RecordedCall[] = [];

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly chats = new Map<number, Chat>();
  private readonly users = new Map<number, User>();
  private readonly chatStates = new Map<number, ChatState>();
  /** Topics of forum supergroups (chats set with `is_forum: true`), by chat. */
  private readonly forumTopics = new Map<number, Set<number>>();
  private readonly fileBytes = new Map<string, Buffer>();
  private readonly commandLists = new Map<string, BotCommand[]>();
  private readonly handlers: ReadonlyMap<string, Handler>;
  private readonly failures: FailureRule[] = [];
  private readonly callWaiters = new Set<CallWaiter>();
  private readonly updateWaiters = new Set<() => void>();
  private readonly options: Required<Pick<FakeBotApiOptions, 'longPollCapMs' | 'latencyMs' | 'now'>> &
    Pick<FakeBotApiOptions, 'token'>;
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private nextFileNumber = 1;
  private nextCallbackId = 1;
  private webhookInfo: { url: string; secretToken?: string } | undefined;
  private closing: Promise<void> | undefined;
  private root = '';

  constructor(options: FakeBotApiOptions = {}) {
    this.botUser = {
      id: options.bot?.id ?? 7_000_000_001,
      is_bot: true,
      first_name: options.bot?.first_name ?? 'Outage Monitor Test',
      username: options.bot?.username ?? 'outage_monitor_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.options = {
      longPollCapMs: options.longPollCapMs ?? 1000,
      latencyMs: options.latencyMs ?? 0,
      now: options.now ?? Date.now,
      token: options.token,
    };
    for (const chat of options.chats ?? []) this.setChat(chat);
    this.handlers = this.createHandlers();
    this.server = createServer((req, res) => void this.handleRequest(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Pass as grammY's `client: { apiRoot }`. */
  get apiRoot(): string {
    return this.root;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.root = `http://127.0.0.1:${port}`;
  }

  /** Stops at once: hanging and long-polling requests are cut, pending waits rejected. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const wake of [...this.updateWaiters]) wake();
      for (const waiter of [...this.callWaiters]) waiter.reject(new Error('fake Bot API closed while waiting for a call'));
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  // --- Inspecting calls ------------------------------------------------------------------------

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => sameMethod(call.method, method));
  }

  /** Calls addressed to one chat (by `chat_id`), e.g. to check per-chat spacing. */
  callsTo(chatId: number | string): RecordedCall[] {
    return this.calls.filter((call) => String(call.params.chat_id) === String(chatId));
  }

  /**
   * The first recorded call of `method` that satisfies `predicate`, waiting for it if needed.
   * Failed calls count too (check `call.failed` in the predicate to skip them).
   */
  waitForCall(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    const matches = (call: RecordedCall): boolean => sameMethod(call.method, method) && predicate(call);
    const found = this.calls.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise<RecordedCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.callWaiters.delete(waiter);
        reject(new Error(this.describeMissingCall(method, timeoutMs)));
      }, timeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        this.callWaiters.delete(waiter);
      };
      const waiter: CallWaiter = {
        matches,
        resolve: (call) => (settle(), resolve(call)),
        reject: (error) => (settle(), reject(error)),
      };
      this.callWaiters.add(waiter);
    });
  }

  /** Forgets recorded calls and pending failures; chats, messages and updates stay. */
  reset(): void {
    this.calls.length = 0;
    this.failures.length = 0;
  }

  // --- Failure injection -----------------------------------------------------------------------

  /**
   * The next `count` calls matching `filter` fail as `spec` says. Without a method filter
   * getUpdates is never failed, so a polling bot does not swallow failures meant for sends.
   */
  failNext(count: number, spec: FailureSpec, filter: FailureFilter = {}): void {
    if (count > 0) this.failures.push({ remaining: count, spec, filter });
  }

  /** Every call matching `filter` fails as `spec` says until `clearFailures()`: an outage. */
  failAll(spec: FailureSpec, filter: FailureFilter = {}): void {
    this.failures.push({ remaining: Infinity, spec, filter });
  }

  /** Ends every injected failure (pending `failNext` ones too); recorded calls are kept. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  // --- State for tests --------------------------------------------------------------------------

  setChat(chat: Chat): void {
    this.chats.set(chat.id, chat);
  }

  /** Sets what getChatMember answers for `userId` in `chatId` (and what the bot may do there). */
  setChatMember(chatId: number, userId: number, member: ChatMemberInput): void {
    const user = member.user ?? this.userById(userId);
    // The input is a ChatMember minus `user`; adding the user back makes it whole again.
    this.chatState(chatId).members.set(userId, { ...member, user } as ChatMember);
  }

  /**
   * Opens a topic in a forum supergroup (a chat set with `is_forum: true`). Posts there with a
   * `message_thread_id` of no open topic fail as Telegram fails them ("message thread not found").
   */
  addForumTopic(chatId: number, threadId: number): void {
    let topics = this.forumTopics.get(chatId);
    if (!topics) this.forumTopics.set(chatId, (topics = new Set()));
    topics.add(threadId);
  }

  /** Pinned message ids in a chat, oldest pin first. */
  pinned(chatId: number): number[] {
    return [...(this.chatStates.get(chatId)?.pinned ?? [])];
  }

  /** Messages the bot sent to a chat that still exist, in their current (edited) state. */
  sentMessages(chatId: number): Message[] {
    const messages = this.chatStates.get(chatId)?.messages;
    return messages ? [...messages.values()].sort((a, b) => a.message_id - b.message_id) : [];
  }

  lastSent(chatId: number): Message | undefined {
    return this.sentMessages(chatId).at(-1);
  }

  /** Commands set with setMyCommands for a scope (default scope when omitted). */
  commands(scope: Record<string, unknown> = { type: 'default' }, languageCode = ''): BotCommand[] {
    return this.commandLists.get(commandKey(scope, languageCode)) ?? [];
  }

  webhook(): { url: string; secretToken?: string } | undefined {
    return this.webhookInfo;
  }

  // --- Updates ---------------------------------------------------------------------------------

  /** Queues an update for getUpdates (assigning `update_id` when missing) and wakes long polls. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const updateId = update.update_id ?? this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, updateId + 1);
    const queued: Update = { ...update, update_id: updateId };
    this.updates.push(queued);
    for (const wake of [...this.updateWaiters]) wake();
    return queued;
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): Update[] {
    return [...this.updates];
  }

  /** A private text message from `from`; a leading /command gets its bot_command entity. */
  message(
    from: UserInput,
    chatId: number,
    text: string,
    extra: Partial<Omit<Message, 'chat' | 'from'>> = {},
  ): Omit<Update, 'update_id'> {
    const user = this.rememberUser(from);
    const entities = commandEntities(text);
    const message: Message & Update.NonChannel = {
      message_id: this.chatState(chatId).nextMessageId++,
      date: this.unixNow(),
      chat: { id: chatId, type: 'private', first_name: user.first_name, last_name: user.last_name, username: user.username },
      from: user,
      text,
      ...(entities ? { entities } : {}),
      ...extra,
    };
    return { message };
  }

  /**
   * A button press on `message` (a message the bot sent, e.g. a call's result). The message is
   * taken in its current state, so a menu edited since then shows its current keyboard.
   */
  callbackQuery(from: UserInput, message: Message, data: string): Omit<Update, 'update_id'> {
    const user = this.rememberUser(from);
    const current = this.chatStates.get(message.chat.id)?.messages.get(message.message_id) ?? message;
    return {
      callback_query: {
        id: String(this.nextCallbackId++),
        from: user,
        message: current,
        chat_instance: `instance${message.chat.id}`,
        data,
      },
    };
  }

  /** Presses the inline button labelled `label` (exact text) on the bot's message. */
  pressButton(from: UserInput, message: Message, label: string): Omit<Update, 'update_id'> {
    const current = this.chatStates.get(message.chat.id)?.messages.get(message.message_id) ?? message;
    const buttons = current.reply_markup?.inline_keyboard.flat() ?? [];
    const button = buttons.find((candidate) => candidate.text === label);
    if (!button || !('callback_data' in button) || button.callback_data === undefined) {
      const labels = buttons.map((candidate) => JSON.stringify(candidate.text)).join(', ') || 'none';
      throw new Error(`No callback button ${JSON.stringify(label)} on message ${current.message_id}; buttons: ${labels}`);
    }
    return this.callbackQuery(from, current, button.callback_data);
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = parseRoute(url.pathname);
    if (route.kind !== 'method') {
      req.resume();
      return writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
    // The client gives up on a long poll by closing the connection (grammY's bot.stop()).
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });

    const at = Date.now();
    let params: Params = {};
    try {
      params = await readParams(req, url);
    } catch (error) {
      return this.answer(res, { method: route.method, token: route.token, params, at }, { error });
    }
    const call: RecordedCall = { method: route.method, token: route.token, params, at };
    if (this.options.token !== undefined && route.token !== this.options.token) {
      return this.answer(res, call, { error: new ApiError(401, 'Unauthorized') });
    }
    const failure = this.takeFailure(route.method, params);
    if (failure) return this.answerInjected(res, call, failure);
    // Whatever the method, a keyboard Telegram would refuse is refused (keyboard-limits.ts).
    const keyboardProblem = keyboardRefusal(params.reply_markup);
    if (keyboardProblem !== undefined) return this.answer(res, call, { error: badRequest(keyboardProblem) });
    try {
      const handler = this.handlers.get(route.method.toLowerCase());
      // Methods the fake does not model succeed, so new bot features do not need the fake first.
      const result: unknown = handler ? await handler(params, aborted.signal) : true;
      await this.answer(res, call, { result });
    } catch (error) {
      await this.answer(res, call, { error });
    }
  }

  private async answer(res: ServerResponse, call: RecordedCall, outcome: Outcome): Promise<void> {
    if (this.options.latencyMs > 0) await delay(this.options.latencyMs);
    if ('result' in outcome) {
      call.result = outcome.result;
      this.record(call);
      return writeJson(res, 200, { ok: true, result: outcome.result });
    }
    // Anything that is not an ApiError is a bug in the fake or the test: say so loudly.
    const apiError =
      outcome.error instanceof ApiError
        ? outcome.error
        : new ApiError(500, `Internal Server Error: fake Bot API failed on ${call.method}: ${errorMessage(outcome.error)}`);
    call.failed = { error_code: apiError.errorCode, description: apiError.description, injected: outcome.injected ?? false };
    this.record(call);
    writeJson(res, apiError.errorCode, {
      ok: false,
      error_code: apiError.errorCode,
      description: apiError.description,
      ...(apiError.parameters ? { parameters: apiError.parameters } : {}),
    });
  }

  private async answerInjected(res: ServerResponse, call: RecordedCall, spec: FailureSpec): Promise<void> {
    if ('hang' in spec) {
      call.failed = { hang: true };
      this.record(call); // Never answered; close() cuts the socket.
      return;
    }
    if ('drop' in spec) {
      call.failed = { drop: true };
      this.record(call);
      res.socket?.destroy();
      return;
    }
    await this.answer(res, call, { error: injectedError(spec), injected: true });
  }

  private takeFailure(method: string, params: Params): FailureSpec | undefined {
    const rule = this.failures.find((candidate) => failureApplies(candidate.filter, method, params));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.failures.splice(this.failures.indexOf(rule), 1);
    return rule.spec;
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.callWaiters]) {
      if (waiter.matches(call)) waiter.resolve(call);
    }
  }

  private describeMissingCall(method: string, timeoutMs: number): string {
    const sameKind = this.callsOf(method).length;
    const polls = this.callsOf('getUpdates').length;
    const recent = this.calls
      .filter((call) => !sameMethod(call.method, 'getUpdates'))
      .slice(-12)
      .map(summarizeCall);
    return [
      `No matching ${method} call within ${timeoutMs} ms` +
        (sameKind > 0 ? ` (${sameKind} ${method} call(s) did not match the predicate)` : '') +
        '.',
      `Recent calls (oldest first, ${polls} getUpdates omitted):`,
      ...(recent.length > 0 ? recent.map((line) => `  ${line}`) : ['  (none)']),
    ].join('\n');
  }

  // --- Method handlers -------------------------------------------------------------------------

  private createHandlers(): ReadonlyMap<string, Handler> {
    const handlers: Record<string, Handler> = {
      getMe: () => this.botUser,
      getUpdates: (params, signal) => this.getUpdates(params, signal),
      setWebhook: (params) => this.setWebhook(params),
      deleteWebhook: (params) => this.deleteWebhook(params),
      getWebhookInfo: () => ({
        url: this.webhookInfo?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
      }),
      sendMessage: (params) => this.sendMessage(params),
      sendPhoto: (params) => this.sendPhoto(params),
      sendDocument: (params) => this.sendDocument(params),
      editMessageText: (params) => this.editMessageText(params),
      editMessageCaption: (params) => this.editMessageCaption(params),
      editMessageMedia: (params) => this.editMessageMedia(params),
      editMessageReplyMarkup: (params) => this.editMessageReplyMarkup(params),
      deleteMessage: (params) => this.deleteMessage(params),
      pinChatMessage: (params) => this.pinChatMessage(params),
      unpinChatMessage: (params) => this.unpinChatMessage(params),
      unpinAllChatMessages: (params) => this.unpinAllChatMessages(params),
      getChat: (params) => toFullInfo(this.knownChat(params)),
      getChatMember: (params) => this.getChatMember(params),
      getChatAdministrators: (params) => this.getChatAdministrators(params),
      setMyCommands: (params) => this.setMyCommands(params),
      getMyCommands: (params) => this.commandLists.get(commandKeyOf(params)) ?? [],
      deleteMyCommands: (params) => {
        this.commandLists.delete(commandKeyOf(params));
        return true;
      },
      answerCallbackQuery: () => true,
      sendChatAction: (params) => {
        const chatId = this.resolveChatId(params);
        this.requireThread(chatId, params);
        this.requireChannelRight(chatId, 'post');
        return true;
      },
    };
    // Telegram method names are case-insensitive.
    return new Map(Object.entries(handlers).map(([name, handler]) => [name.toLowerCase(), handler]));
  }

  private async getUpdates(params: Params, signal: AbortSignal): Promise<Update[]> {
    if (this.webhookInfo) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    this.confirmUpdates(optionalInteger(params, 'offset'));
    const limit = Math.min(Math.max(optionalInteger(params, 'limit') ?? 100, 1), 100);
    const waitMs = Math.min((optionalInteger(params, 'timeout') ?? 0) * 1000, this.options.longPollCapMs);
    if (this.updates.length === 0 && waitMs > 0) await this.waitForUpdate(waitMs, signal);
    return this.updates.slice(0, limit);
  }

  /** Like Telegram: an offset confirms every earlier update; a negative one keeps the last N. */
  private confirmUpdates(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    this.updates = offset < 0 ? this.updates.slice(offset) : this.updates.filter((update) => update.update_id >= offset);
  }

  private waitForUpdate(waitMs: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.updateWaiters.delete(finish);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, waitMs);
      this.updateWaiters.add(finish);
      signal.addEventListener('abort', finish, { once: true });
      if (this.closing) finish();
    });
  }

  private setWebhook(params: Params): true {
    const url = optionalString(params, 'url') ?? '';
    if (url === '') {
      this.webhookInfo = undefined; // Telegram treats an empty url as "remove the webhook".
      return true;
    }
    if (!/^https:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    this.webhookInfo = { url, secretToken: optionalString(params, 'secret_token') };
    return true;
  }

  private deleteWebhook(params: Params): true {
    this.webhookInfo = undefined;
    const drop = params.drop_pending_updates;
    if (drop === true || drop === 'true') this.updates = [];
    return true;
  }

  private sendMessage(params: Params): Message {
    const chatId = this.resolveChatId(params);
    const text = optionalString(params, 'text') ?? '';
    checkFormattedText(text, optionalString(params, 'parse_mode'), 'text');
    const replyMarkup = readInlineKeyboard(params);
    this.requireChannelRight(chatId, 'post');
    const thread = this.requireThread(chatId, params);
    return this.storeNewMessage(chatId, { text, ...(replyMarkup ? { reply_markup: replyMarkup } : {}), ...thread });
  }

  private sendPhoto(params: Params): Message {
    const chatId = this.resolveChatId(params);
    const caption = this.readCaption(params);
    const replyMarkup = readInlineKeyboard(params);
    const photo = this.photoSizes(this.readInputFile(params, params.photo, 'photo'));
    this.requireChannelRight(chatId, 'post');
    const thread = this.requireThread(chatId, params);
    return this.storeNewMessage(chatId, { photo, ...caption, ...(replyMarkup ? { reply_markup: replyMarkup } : {}), ...thread });
  }

  private sendDocument(params: Params): Message {
    const chatId = this.resolveChatId(params);
    const caption = this.readCaption(params);
    const replyMarkup = readInlineKeyboard(params);
    const document = this.documentOf(this.readInputFile(params, params.document, 'document'));
    this.requireChannelRight(chatId, 'post');
    return this.storeNewMessage(chatId, { document, ...caption, ...(replyMarkup ? { reply_markup: replyMarkup } : {}) });
  }

  private editMessageText(params: Params): Message | true {
    if (params.inline_message_id !== undefined) return true;
    const { chatId, message } = this.messageToEdit(params);
    const text = optionalString(params, 'text') ?? '';
    checkFormattedText(text, optionalString(params, 'parse_mode'), 'text');
    if (message.text === undefined) throw badRequest('there is no text in the message to edit');
    const replyMarkup = readInlineKeyboard(params);
    if (message.text === text && sameMarkup(message.reply_markup, replyMarkup)) throw badRequest(NOT_MODIFIED);
    return this.replaceMessage(chatId, message, { text, reply_markup: replyMarkup });
  }

  private editMessageCaption(params: Params): Message | true {
    if (params.inline_message_id !== undefined) return true;
    const { chatId, message } = this.messageToEdit(params);
    if (message.photo === undefined && message.document === undefined) {
      throw badRequest('there is no caption in the message to edit');
    }
    const caption = this.readCaption(params).caption;
    const replyMarkup = readInlineKeyboard(params);
    if (message.caption === caption && sameMarkup(message.reply_markup, replyMarkup)) throw badRequest(NOT_MODIFIED);
    return this.replaceMessage(chatId, message, { caption, reply_markup: replyMarkup });
  }

  private editMessageMedia(params: Params): Message | true {
    if (params.inline_message_id !== undefined) return true;
    const { chatId, message } = this.messageToEdit(params);
    const media = optionalObject(params, 'media');
    if (media === undefined) throw badRequest('there is no media in the request');
    const type = media.type;
    if (type !== 'photo' && type !== 'document') {
      throw badRequest(`the fake Bot API edits only photo and document media, not ${String(type)}`);
    }
    if (message.photo === undefined && message.document === undefined) {
      throw badRequest('there is no media in the message to edit');
    }
    const input = this.readInputFile(params, media.media, 'media');
    const caption = this.readCaption(media).caption;
    const replyMarkup = readInlineKeyboard(params);
    if (
      this.sameMedia(message, type, input) &&
      message.caption === caption &&
      sameMarkup(message.reply_markup, replyMarkup)
    ) {
      throw badRequest(NOT_MODIFIED);
    }
    const content = type === 'photo' ? { photo: this.photoSizes(input) } : { document: this.documentOf(input) };
    return this.replaceMessage(chatId, message, { ...content, caption, reply_markup: replyMarkup });
  }

  private editMessageReplyMarkup(params: Params): Message | true {
    if (params.inline_message_id !== undefined) return true;
    const { chatId, message } = this.messageToEdit(params);
    const replyMarkup = readInlineKeyboard(params);
    if (sameMarkup(message.reply_markup, replyMarkup)) throw badRequest(NOT_MODIFIED);
    return this.replaceMessage(chatId, message, { reply_markup: replyMarkup });
  }

  private deleteMessage(params: Params): true {
    const chatId = this.resolveChatId(params);
    const messageId = requiredMessageId(params);
    const state = this.chatState(chatId);
    if (!state.messages.delete(messageId)) throw badRequest('message to delete not found');
    state.pinned = state.pinned.filter((id) => id !== messageId); // Deleting unpins, as in Telegram.
    return true;
  }

  private pinChatMessage(params: Params): true {
    const chatId = this.resolveChatId(params);
    const messageId = requiredMessageId(params);
    this.requireChannelRight(chatId, 'pin');
    const state = this.chatState(chatId);
    if (!state.messages.has(messageId)) throw badRequest('message to pin not found');
    state.pinned = [...state.pinned.filter((id) => id !== messageId), messageId];
    return true;
  }

  private unpinChatMessage(params: Params): true {
    const chatId = this.resolveChatId(params);
    this.requireChannelRight(chatId, 'pin');
    const state = this.chatState(chatId);
    const messageId = optionalInteger(params, 'message_id') ?? state.pinned.at(-1); // None given: the latest pin.
    state.pinned = state.pinned.filter((id) => id !== messageId);
    return true;
  }

  private unpinAllChatMessages(params: Params): true {
    const chatId = this.resolveChatId(params);
    this.requireChannelRight(chatId, 'pin');
    this.chatState(chatId).pinned = [];
    return true;
  }

  private getChatMember(params: Params): ChatMember {
    const chat = this.knownChat(params);
    const userId = optionalInteger(params, 'user_id');
    if (userId === undefined) throw badRequest('user_id is empty');
    return this.memberOf(chat, userId);
  }

  private getChatAdministrators(params: Params): ChatMember[] {
    const chat = this.knownChat(params);
    const configured = [...(this.chatStates.get(chat.id)?.members.values() ?? [])];
    const admins = configured.filter((member) => member.status === 'administrator' || member.status === 'creator');
    const bot = this.memberOf(chat, this.botUser.id);
    const botListed = admins.some((member) => member.user.id === this.botUser.id);
    return !botListed && bot.status === 'administrator' ? [...admins, bot] : admins;
  }

  private setMyCommands(params: Params): true {
    const commands = optionalArray(params, 'commands') ?? [];
    const valid: BotCommand[] = commands.map((command) => {
      if (!isRecord(command) || typeof command.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command.command)) {
        throw badRequest('BOT_COMMAND_INVALID');
      }
      const description = command.description;
      if (typeof description !== 'string' || description.length < 1 || description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      return { command: command.command, description };
    });
    this.commandLists.set(commandKeyOf(params), valid);
    return true;
  }

  // --- Chats and messages ----------------------------------------------------------------------

  /** Numeric ids are accepted for any chat; `@username` must name a configured chat. */
  private resolveChatId(params: Params): number {
    const value = params.chat_id;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
    if (typeof value === 'string' && value.startsWith('@')) {
      const wanted = value.slice(1).toLowerCase();
      const chat = [...this.chats.values()].find((candidate) => candidate.username?.toLowerCase() === wanted);
      if (chat) return chat.id;
      throw badRequest('chat not found');
    }
    throw badRequest('chat_id is empty');
  }

  /** getChat and friends only know configured chats and users who wrote to the bot. */
  private knownChat(params: Params): Chat {
    const chatId = this.resolveChatId(params);
    const chat = this.chats.get(chatId);
    if (chat) return chat;
    const user = this.users.get(chatId);
    if (user) return this.privateChatOf(user);
    throw badRequest('chat not found');
  }

  private chatFor(chatId: number): Chat {
    const known = this.chats.get(chatId);
    if (known) return known;
    if (isChannelId(chatId)) return { id: chatId, type: 'channel', title: `Channel ${chatId}` };
    if (chatId < 0) return { id: chatId, type: 'group', title: `Group ${chatId}` };
    return this.privateChatOf(this.userById(chatId));
  }

  private privateChatOf(user: User): Chat.PrivateChat {
    return { id: user.id, type: 'private', first_name: user.first_name, last_name: user.last_name, username: user.username };
  }

  private userById(userId: number): User {
    if (userId === this.botUser.id) {
      return { id: this.botUser.id, is_bot: true, first_name: this.botUser.first_name, username: this.botUser.username };
    }
    return this.users.get(userId) ?? toUser({ id: userId });
  }

  private rememberUser(input: UserInput): User {
    const user = toUser(input);
    this.users.set(user.id, user);
    return user;
  }

  private memberOf(chat: Chat, userId: number): ChatMember {
    const configured = this.chatStates.get(chat.id)?.members.get(userId);
    if (configured) return configured;
    const user = this.userById(userId);
    if (userId === this.botUser.id && chat.type === 'channel') return administrator(user);
    if (userId === this.botUser.id || chat.type === 'private') return { status: 'member', user };
    return { status: 'left', user };
  }

  /**
   * In configured channels the bot's member record decides what it may do, with Telegram's
   * answers: not a member → 403; posting needs can_post_messages; pins need can_edit_messages.
   */
  private requireChannelRight(chatId: number, right: 'post' | 'pin'): void {
    const chat = this.chats.get(chatId);
    if (chat?.type === 'group' || chat?.type === 'supergroup') return this.requireGroupRight(chat, right);
    if (chat?.type !== 'channel') return;
    const member = this.memberOf(chat, this.botUser.id);
    if (member.status === 'left' || member.status === 'kicked') {
      throw new ApiError(403, 'Forbidden: bot is not a member of the channel chat');
    }
    if (member.status === 'creator') return;
    const admin = member.status === 'administrator' ? member : undefined;
    if (right === 'post' && admin?.can_post_messages !== true) throw badRequest('need administrator rights in the channel chat');
    if (right === 'pin' && admin?.can_edit_messages !== true) {
      throw badRequest('not enough rights to manage pinned messages in the chat');
    }
  }

  /**
   * In configured groups: a bot that left or was removed gets 403; a restricted bot (or a plain
   * member where members may not write) cannot post; pinning needs an admin's can_pin_messages.
   */
  private requireGroupRight(chat: Chat, right: 'post' | 'pin'): void {
    const member = this.memberOf(chat, this.botUser.id);
    if (member.status === 'left' || member.status === 'kicked') throw new ApiError(403, 'Forbidden: bot is not a member of the group chat');
    if (member.status === 'creator') return;
    if (right === 'pin') {
      if (member.status !== 'administrator' || member.can_pin_messages !== true) throw badRequest('not enough rights to manage pinned messages in the chat');
      return;
    }
    const permissions = (chat as Chat & { permissions?: { can_send_messages?: boolean } }).permissions;
    const maySend = member.status === 'administrator' || (member.status === 'restricted' ? member.can_send_messages : permissions?.can_send_messages !== false);
    if (!maySend) throw badRequest('not enough rights to send text messages to the chat');
  }

  /** A post into a forum topic needs the topic to exist; returns the field the message carries. */
  private requireThread(chatId: number, params: Params): { message_thread_id?: number } {
    const threadId = optionalInteger(params, 'message_thread_id');
    if (threadId === undefined) return {};
    const chat = this.chats.get(chatId);
    const forum = chat?.type === 'supergroup' && (chat as Chat.SupergroupChat).is_forum === true;
    if (forum && !this.forumTopics.get(chatId)?.has(threadId)) throw badRequest('message thread not found');
    return { message_thread_id: threadId };
  }

  private chatState(chatId: number): ChatState {
    let state = this.chatStates.get(chatId);
    if (!state) {
      state = { nextMessageId: 1, messages: new Map(), pinned: [], members: new Map() };
      this.chatStates.set(chatId, state);
    }
    return state;
  }

  private storeNewMessage(chatId: number, content: Partial<Message>): Message {
    const chat = this.chatFor(chatId);
    const state = this.chatState(chatId);
    // Channel posts are signed by the channel; elsewhere the bot is the sender.
    const sender = chat.type === 'channel' ? { sender_chat: chat } : { from: this.userById(this.botUser.id) };
    const message: Message = { message_id: state.nextMessageId++, date: this.unixNow(), chat, ...sender, ...content };
    state.messages.set(message.message_id, message);
    return message;
  }

  /** Edits only reach messages the bot sent to that chat and has not deleted. */
  private messageToEdit(params: Params): { chatId: number; message: Message } {
    const chatId = this.resolveChatId(params);
    const message = this.chatStates.get(chatId)?.messages.get(requiredMessageId(params));
    if (!message) throw badRequest('message to edit not found');
    return { chatId, message };
  }

  /** Applies an edit; `undefined` values remove the field, as Telegram drops omitted markup. */
  private replaceMessage(chatId: number, message: Message, changes: Partial<Message>): Message {
    const edited: Message = { ...message, edit_date: this.unixNow() };
    if ('photo' in changes || 'document' in changes) {
      delete edited.photo;
      delete edited.document;
    }
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) Reflect.deleteProperty(edited, key);
      else Reflect.set(edited, key, value);
    }
    this.chatState(chatId).messages.set(edited.message_id, edited);
    return edited;
  }

  private readCaption(params: Params): { caption?: string } {
    const caption = optionalString(params, 'caption');
    if (caption === undefined || caption === '') return {};
    checkFormattedText(caption, optionalString(params, 'parse_mode'), 'caption');
    return { caption };
  }

  /** A file is either uploaded in this request (directly or via attach://) or an id/URL. */
  private readInputFile(params: Params, value: unknown, field: string): UploadedFile | string {
    if (isUploadedFile(value)) return value;
    if (typeof value === 'string' && value.startsWith('attach://')) {
      const file = params[value.slice('attach://'.length)];
      if (!isUploadedFile(file)) throw badRequest(`file ${value} referenced by ${field} was not uploaded`);
      return file;
    }
    if (typeof value === 'string' && value !== '') return value;
    throw badRequest(`there is no ${field} in the request`);
  }

  private photoSizes(input: UploadedFile | string): PhotoSize[] {
    if (typeof input === 'string') return [{ file_id: input, file_unique_id: `unique-${input}`, width: 1280, height: 720 }];
    const { width, height } = pngSize(input.bytes) ?? { width: 1280, height: 720 };
    const number = this.nextFileNumber++;
    const scale = Math.min(1, 90 / Math.max(width, height));
    const fileId = `photo-${number}`;
    this.fileBytes.set(fileId, input.bytes);
    return [
      { file_id: `${fileId}-thumb`, file_unique_id: `unique-${number}-thumb`, width: Math.round(width * scale), height: Math.round(height * scale) },
      { file_id: fileId, file_unique_id: `unique-${number}`, width, height, file_size: input.bytes.length },
    ];
  }

  private documentOf(input: UploadedFile | string): Document {
    if (typeof input === 'string') return { file_id: input, file_unique_id: `unique-${input}` };
    const number = this.nextFileNumber++;
    const fileId = `document-${number}`;
    this.fileBytes.set(fileId, input.bytes);
    return {
      file_id: fileId,
      file_unique_id: `unique-${number}`,
      file_name: input.filename,
      mime_type: input.contentType,
      file_size: input.bytes.length,
    };
  }

  /** Same file id, or an upload with the very bytes already shown, counts as unchanged media. */
  private sameMedia(message: Message, type: 'photo' | 'document', input: UploadedFile | string): boolean {
    const current = this.mediaIdentity(message);
    if (current === undefined || current.kind !== type) return false;
    if (typeof input === 'string') return input === current.fileId;
    return current.bytes !== undefined && current.bytes.equals(input.bytes);
  }

  private mediaIdentity(message: Message): MediaIdentity | undefined {
    const photo = message.photo?.at(-1);
    if (photo) return { kind: 'photo', fileId: photo.file_id, bytes: this.fileBytes.get(photo.file_id) };
    const document = message.document;
    if (document) return { kind: 'document', fileId: document.file_id, bytes: this.fileBytes.get(document.file_id) };
    return undefined;
  }

  private unixNow(): number {
    return Math.floor(this.options.now() / 1000);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers of the fake

function sameMethod(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function failureApplies(filter: FailureFilter, method: string, params: Params): boolean {
  if (filter.method === undefined ? sameMethod(method, 'getUpdates') : !sameMethod(method, filter.method)) return false;
  return filter.chatId === undefined || String(params.chat_id) === String(filter.chatId);
}

function commandKey(scope: Record<string, unknown>, languageCode: string): string {
  return `${canonicalJson(scope)}|${languageCode}`;
}

function commandKeyOf(params: Params): string {
  return commandKey(optionalObject(params, 'scope') ?? { type: 'default' }, optionalString(params, 'language_code') ?? '');
}

function summarizeCall(call: RecordedCall): string {
  const chat = call.params.chat_id === undefined ? '' : ` chat=${String(call.params.chat_id)}`;
  const message = call.params.message_id === undefined ? '' : ` message=${String(call.params.message_id)}`;
  const outcome = !call.failed
    ? 'ok'
    : 'hang' in call.failed
      ? 'hang'
      : 'drop' in call.failed
        ? 'dropped'
        : `${call.failed.error_code} ${call.failed.description}`;
  return `${new Date(call.at).toISOString().slice(11, 23)} ${call.method}${chat}${message} → ${outcome}`;
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded) return; // The client went away (e.g. an aborted long poll).
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
