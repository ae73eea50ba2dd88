/**
 * BullMQ custom job ids must not contain ':' (it is BullMQ's own key separator), while our domain keys
 * do (`vote:R07.2:3`). Percent-style escaping keeps ids readable and one-to-one with the domain keys,
 * so adding the same request twice hits the same id and does nothing.
 */
export function toJobId(domainKey: string): string {
  if (domainKey.length === 0) throw new Error('a job key must not be empty');
  return domainKey.replace(/%/g, '%25').replace(/:/g, '%3A');
}

export function fromJobId(jobId: string): string {
  return jobId.replace(/%3A/g, ':').replace(/%25/g, '%');
}

/** Queue prefix with a Redis Cluster hash tag: every key of every queue lands in one slot. */
export function queuePrefix(redisPrefix: string): string {
  return `{${redisPrefix}}`;
}
