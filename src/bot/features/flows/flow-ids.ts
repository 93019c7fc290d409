/** Conversation ids: stored with their state in SQLite, so renaming one strands waiting chats. */
export const FLOW = {
  addPlace: 'addPlace',
  rename: 'renamePlace',
  timeout: 'placeTimeout',
  channel: 'placeChannel',
  addAdmin: 'addAdmin',
} as const;
