export { createRedisTokenStore, type RedisTokenStoreOptions } from './redis-token-store'
