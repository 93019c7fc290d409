import { ScheduleFormatError } from './snapshot.js';

/** A response body that must be a JSON object; anything else is a ScheduleFormatError. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ScheduleFormatError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(value)) throw new ScheduleFormatError('the body is JSON but not an object');
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
