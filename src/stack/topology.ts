import type { StackValues } from './values.js';

/** One MongoDB replica set as the templates need it. */
export interface ReplicaSet {
  /** StatefulSet and headless Service name. */
  name: string;
  /** The replica set's own name (`--replSet`). */
  replSet: string;
  role: 'configsvr' | 'shardsvr';
  /** Member addresses: stable per-pod DNS names through the headless Service. */
  hosts: string[];
  /** How mongos's addShard names it: `replSet/host,host`. */
  connection: string;
}

export interface MongoTopology {
  configServer: ReplicaSet;
  shards: ReplicaSet[];
  /**
   * How long a MongoDB client of the stack (an init Job, an init container) waits for a server it needs
   * before it fails and Kubernetes retries it. The chain from the replica sets to Countly is applied at once
   * (stack.yaml's `after`), so this covers the slowest pod start ahead of it, image pulls included.
   */
  waitMs: number;
}

const MONGO_WAIT_MS = 300_000;

/** The sharded cluster's replica sets and member addresses, from the values. */
export function mongoTopology(values: StackValues): MongoTopology {
  const namespace = values.namespaces.stack;
  const replicaSet = (
    name: string,
    replSet: string,
    role: ReplicaSet['role'],
    members: number,
  ): ReplicaSet => {
    // <pod>.<headless service>.<namespace>.svc resolves through the cluster.local search domain in any cluster
    const hosts = Array.from({ length: members }, (_, i) => `${name}-${i}.${name}.${namespace}.svc:27017`);
    return { name, replSet, role, hosts, connection: `${replSet}/${hosts.join(',')}` };
  };
  return {
    configServer: replicaSet('mongo-config', 'cfg', 'configsvr', values.mongo.configServers),
    shards: Array.from({ length: values.mongo.shards }, (_, i) =>
      replicaSet(`mongo-shard-${i}`, `shard-${i}`, 'shardsvr', values.mongo.shardMembers),
    ),
    waitMs: MONGO_WAIT_MS,
  };
}
