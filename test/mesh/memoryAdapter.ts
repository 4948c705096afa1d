import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * A per-provider in-memory oidc-provider adapter. The built-in one shares one store across every
 * provider in the process and prints a production warning on each start; the mesh needs neither.
 * Client credentials with JWT access tokens only store replay-detection entries (client assertion jti).
 *
 * @example
 * new Provider(issuer, { adapter: memoryAdapter(), ... });
 */
export function memoryAdapter(): new (model: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const read = (key: string): AdapterPayload | undefined => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter implements Adapter {
    readonly model: string;
    constructor(model: string) {
      this.model = model;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      const expiresAt = expiresIn > 0 ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
      store.set(`${this.model}:${id}`, { payload, expiresAt });
    }
    async find(id: string) {
      return read(`${this.model}:${id}`);
    }
    async findByUserCode(userCode: string) {
      return [...store.keys()].map(read).find((payload) => payload?.userCode === userCode);
    }
    async findByUid(uid: string) {
      return [...store.keys()].map(read).find((payload) => payload?.uid === uid);
    }
    async consume(id: string) {
      const payload = read(`${this.model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(`${this.model}:${id}`);
    }
    async revokeByGrantId(grantId: string) {
      for (const key of [...store.keys()]) {
        if (store.get(key)?.payload.grantId === grantId) store.delete(key);
      }
    }
  };
}
