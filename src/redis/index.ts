/**
 * `toolwarden/redis`: session state shared by many processes through Redis.
 *
 * @example
 * ```ts
 * import { Warden } from 'toolwarden';
 * import { RedisStorage } from 'toolwarden/redis';
 *
 * const warden = new Warden({ storage: new RedisStorage({ url: 'redis://localhost:6379' }), limits: { maxToolCalls: 100 } });
 * ```
 *
 * @module
 */
export { RedisStorage } from './RedisStorage.js';
export type { RedisStorageOptions } from './RedisStorageOptions.js';
