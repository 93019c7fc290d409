import { AsyncLocalStorage } from 'node:async_hooks';
import { storageFaultOf } from './storage-faults.js';

/**
 * One unit of work (a bot update) that met a storage fault part-way. Whatever the work would save
 * at its end (a conversation's new state) must then not be saved: the person is asked to try
 * again, and the retry has to find the state as it was before (see sessions/session-storage.ts).
 */
interface FaultScope {
  fault: unknown;
}

const scopes = new AsyncLocalStorage<FaultScope>();

/** Runs `work` as one unit whose storage faults are noted for what saves at its end. */
export function runInFaultScope<T>(work: () => Promise<T>): Promise<T> {
  return scopes.run({ fault: undefined }, work);
}

/** Notes `error` in the current unit when it is a storage fault; true when it is one. */
export function noteStorageFault(error: unknown): boolean {
  if (storageFaultOf(error) === null) return false;
  const scope = scopes.getStore();
  if (scope && scope.fault === undefined) scope.fault = error;
  return true;
}

/** The storage fault the current unit met, if any. */
export function faultInScope(): unknown {
  return scopes.getStore()?.fault;
}
