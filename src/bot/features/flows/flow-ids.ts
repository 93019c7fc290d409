/** Conversation ids: stored with their state in SQLite, so renaming one strands waiting chats. */
export const FLOW = {
  addPlace: 'addPlace',
  rename: 'renamePlace',
  timeout: 'placeTimeout',
  channel: 'placeChannel',
  addAdmin: 'addAdmin',
  chatQuiet: 'chatQuiet',
  /** A subscriber's own quiet hours, typed (admins who follow places have it too). */
  quietHours: 'quietHours',
  /** A new device of a place (its name), then its key and addresses. */
  addDevice: 'addDevice',
  renameDevice: 'renameDevice',
  /** A part of a name to search a long list by (places, subscribers, "which place?"). */
  search: 'searchList',
} as const;
