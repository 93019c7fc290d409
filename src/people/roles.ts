/**
 * Who someone is to the bot, and what they may press. Admins may do everything. Subscribers see
 * only the places they follow and their own settings: never admin menus, keys, configs or
 * backups. Everyone else (strangers) may only open an invite link.
 *
 * Integration (bot): one middleware in front of everything private resolves
 * `roleOf(ctx.from.id, { isAdmin: (id) => admins.isAdmin(id), placeIdsOf: (id) => subscribers.placeIdsOf(id) })`
 * per update, then
 * - admin → the admin features as today;
 * - subscriber → their own features only; every callback first goes through
 *   `authorizeCallback(role, data)`: `{ allowed: false }` is answered with people-refused and
 *   nothing else runs (a forged admin payload, or a subscriber menu naming a place they do not
 *   follow); every command through `mayUseCommand(role, command)`;
 * - stranger → `/start <token>` (join.ts) and a polite people-stranger for anything else.
 * Subscriber menus must take their ids from `subscriberMenuId(name)` and carry a place id, a page
 * (".3"), both ("12.3") or nothing as their payload; no admin menu id may start with "sb".
 */

export type Role =
  | { kind: 'admin' }
  | { kind: 'subscriber'; placeIds: readonly number[] }
  | { kind: 'stranger' };

export interface RoleSources {
  isAdmin(userId: number): boolean | Promise<boolean>;
  placeIdsOf(userId: number): readonly number[];
}

export async function roleOf(userId: number, sources: RoleSources): Promise<Role> {
  if (await sources.isAdmin(userId)) return { kind: 'admin' };
  const placeIds = sources.placeIdsOf(userId);
  return placeIds.length > 0 ? { kind: 'subscriber', placeIds: [...placeIds] } : { kind: 'stranger' };
}

/** Whether the person may see this place's status, diagram and plan. */
export function mayViewPlace(role: Role, placeId: number): boolean {
  switch (role.kind) {
    case 'admin':
      return true;
    case 'subscriber':
      return role.placeIds.includes(placeId);
    case 'stranger':
      return false;
  }
}

/** Commands a subscriber may use (/stats: only about their own places); everything else is an admin's. */
export const SUBSCRIBER_COMMANDS = ['start', 'help', 'settings', 'stats', 'cancel'] as const;

export function mayUseCommand(role: Role, command: string): boolean {
  const [bare = ''] = command.replace(/^\//, '').split('@');
  const name = bare.toLowerCase();
  switch (role.kind) {
    case 'admin':
      return true;
    case 'subscriber':
      return (SUBSCRIBER_COMMANDS as readonly string[]).includes(name);
    case 'stranger':
      // /start is how an invite link arrives; without a valid token it gets a polite answer.
      return name === 'start';
  }
}

/** The namespace of subscriber menu ids: "sb" or "sb-<name>". */
const SUBSCRIBER_MENU = 'sb';
const MENU_NAME = /^[a-z0-9]{1,12}$/;

/** The id of a subscriber menu (grammY menu ids travel in callback data, so they stay short). */
export function subscriberMenuId(name?: string): string {
  if (name === undefined) return SUBSCRIBER_MENU;
  if (!MENU_NAME.test(name)) throw new Error(`A subscriber menu name is 1–12 characters of a–z and 0–9, got "${name}".`);
  return `${SUBSCRIBER_MENU}-${name}`;
}

export function isSubscriberMenuId(id: string): boolean {
  return id === SUBSCRIBER_MENU || (id.startsWith(`${SUBSCRIBER_MENU}-`) && MENU_NAME.test(id.slice(SUBSCRIBER_MENU.length + 1)));
}

/** A press on a subscriber menu button: which menu, and the place it is about (null: the person's own settings). */
export interface SubscriberPress {
  menuId: string;
  placeId: number | null;
}

/** grammY menu callback data: "<menu>/<row>/<col>/<payload>/<h|f><hash>". */
const MENU_CALLBACK = /^([^/]+)\/[0-9a-f]+\/[0-9a-f]+\/([^/]*)\/[hf][^/]*$/;

/** The subscriber press this callback data stands for, or null when it is anything else. */
export function parseSubscriberPress(data: string): SubscriberPress | null {
  const match = MENU_CALLBACK.exec(data);
  if (!match) return null;
  const [, menuId, payload] = match as unknown as [string, string, string];
  if (!isSubscriberMenuId(menuId)) return null;
  // A place id, a page of a list (".3"), both ("12.3"), or nothing.
  const press = /^([1-9]\d{0,14})?(?:\.\d{1,6})?$/.exec(payload);
  if (!press) return null;
  return { menuId, placeId: press[1] === undefined ? null : Number(press[1]) };
}

export type CallbackVerdict = { allowed: true } | { allowed: false; reason: 'stranger' | 'not_subscriber_menu' | 'not_their_place' };

/**
 * The guard in front of every button press. A subscriber gets only subscriber menus, and only
 * about places they follow; any other data — an admin menu's, forged, replayed after being removed
 * from a place — is refused before a handler runs.
 */
export function authorizeCallback(role: Role, data: string): CallbackVerdict {
  switch (role.kind) {
    case 'admin':
      return { allowed: true };
    case 'stranger':
      return { allowed: false, reason: 'stranger' };
    case 'subscriber': {
      const press = parseSubscriberPress(data);
      if (!press) return { allowed: false, reason: 'not_subscriber_menu' };
      if (press.placeId !== null && !role.placeIds.includes(press.placeId)) return { allowed: false, reason: 'not_their_place' };
      return { allowed: true };
    }
  }
}
