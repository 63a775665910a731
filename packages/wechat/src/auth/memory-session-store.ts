import type { SessionStore, StoredSession } from './session-store'

/** Sessions in this process's memory, dropped when they expire. */
export function createMemorySessionStore(options: { now?: () => number } = {}): SessionStore {
  const now = options.now ?? Date.now
  const sessions = new Map<string, { session: StoredSession; expiresAt: number }>()
  return {
    async get(id) {
      const entry = sessions.get(id)
      if (entry === undefined) return undefined
      if (entry.expiresAt <= now()) {
        sessions.delete(id)
        return undefined
      }
      return entry.session
    },
    async set(id, session, ttlMs) {
      for (const [key, entry] of sessions) if (entry.expiresAt <= now()) sessions.delete(key)
      sessions.set(id, { session, expiresAt: now() + ttlMs })
    },
    async delete(id) {
      sessions.delete(id)
    },
  }
}
