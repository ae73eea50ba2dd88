import type Redis from 'ioredis';
import type { CreateReviewResult, Review, ReviewPhase, ReviewStore } from '../../core/engine/store-ports';
import { KnownJson } from '../known-json';
import { LuaScript } from './lua-script';

/**
 * Reviews as JSON strings. `open:<project>` holds the id of the project's open review: creating checks
 * and sets it in one script, so a project never has two open reviews; closing clears it in the same
 * script that saves the closed review.
 */
const CREATE = new LuaScript(`
local existing = redis.call('GET', KEYS[2])
if existing then return {0, redis.call('GET', ARGV[3] .. existing)} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return {1, ARGV[1]}
`);

// KEYS: review, open slot, open set, closed zset, closed-by-project zset
// ARGV: json, id, expected phase, new phase, closedAt ms
const SAVE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if cjson.decode(current)['phase'] ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
if ARGV[4] == 'closed' and ARGV[3] ~= 'closed' then
  if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
  redis.call('SREM', KEYS[3], ARGV[2])
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[2])
  redis.call('ZADD', KEYS[5], ARGV[5], ARGV[2])
end
return 1
`);

export class RedisReviewStore implements ReviewStore {
  /** A review read again unchanged (every click on its vote) is not parsed again; it is frozen. */
  private readonly known = new KnownJson<Review>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private reviewKey = (id: string) => `${this.prefix}:review:${id}`;
  private openKey = (projectId: string) => `${this.prefix}:review-open:${projectId}`;
  private openSet = () => `${this.prefix}:reviews-open`;
  private closedKey = (projectId?: string) =>
    projectId ? `${this.prefix}:reviews-closed:${projectId}` : `${this.prefix}:reviews-closed`;

  async create(review: Review): Promise<CreateReviewResult> {
    const [created, json] = (await CREATE.run(
      this.redis,
      [this.reviewKey(review.id), this.openKey(review.projectId), this.openSet()],
      [JSON.stringify(review), review.id, `${this.prefix}:review:`],
    )) as [number, string];
    return { created: created === 1, review: JSON.parse(json) as Review } as CreateReviewResult;
  }

  async get(id: string): Promise<Review | undefined> {
    const json = await this.redis.get(this.reviewKey(id));
    return json ? this.known.parse(id, json) : undefined;
  }

  async openForProject(projectId: string): Promise<Review | undefined> {
    const id = await this.redis.get(this.openKey(projectId));
    return id ? this.get(id) : undefined;
  }

  async listOpen(): Promise<Review[]> {
    return this.getMany(await this.redis.smembers(this.openSet()));
  }

  async listClosed(options: { projectId?: string; limit?: number } = {}): Promise<Review[]> {
    const stop = options.limit === undefined ? -1 : options.limit - 1;
    return this.getMany(await this.redis.zrevrange(this.closedKey(options.projectId), 0, stop));
  }

  async save(review: Review, expectedPhase: ReviewPhase): Promise<boolean> {
    const closedAt = review.closedAt ? Date.parse(review.closedAt) : 0;
    const saved = await SAVE.run(
      this.redis,
      [
        this.reviewKey(review.id),
        this.openKey(review.projectId),
        this.openSet(),
        this.closedKey(),
        this.closedKey(review.projectId),
      ],
      [JSON.stringify(review), review.id, expectedPhase, review.phase, closedAt],
    );
    return saved === 1;
  }

  private async getMany(ids: string[]): Promise<Review[]> {
    if (ids.length === 0) return [];
    const jsons = await this.redis.mget(ids.map(this.reviewKey));
    return jsons.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as Review);
  }
}
