export { createRedisTokenStore, type RedisTokenStoreOptions } from './redis-token-store'
export { createRedisSessionStore, createRedisOAuthStateStore, type RedisSessionStoreOptions } from './redis-session-stores'
