// Registers the shard replica sets with the cluster (mongosh script, run by a one-shot Job through mongos).
// The Job is applied together with the shards and their init Jobs, so it first waits for every shard's
// primary (server selection on a replica-set connection, up to WAIT_MS; the script does not poll).
// Re-running it is safe: shards already registered are skipped, and enabling sharding twice is a no-op.
//
// Environment: SHARDS ("name/host:port,host:port ..." separated by spaces), DATABASE (enabled for sharding),
// WAIT_MS.
const wanted = process.env.SHARDS.split(' ').filter((s) => s.length > 0);
const database = process.env.DATABASE;
const waitMs = Number(process.env.WAIT_MS);

for (const spec of wanted) {
  const [name, hosts] = spec.split('/');
  new Mongo(`mongodb://${hosts}/admin?replicaSet=${name}&serverSelectionTimeoutMS=${waitMs}`)
    .getDB('admin')
    .runCommand({ hello: 1 });
}

function check(result, what) {
  if (result.ok !== 1) throw new Error(`${what} failed: ${result.codeName || result.errmsg}`);
  return result;
}

const registered = new Set(check(db.adminCommand({ listShards: 1 }), 'listShards').shards.map((s) => s._id));
for (const spec of wanted) {
  const name = spec.split('/')[0];
  if (registered.has(name)) {
    print(`shard ${name} is already registered`);
    continue;
  }
  check(db.adminCommand({ addShard: spec, name }), `addShard ${name}`);
  print(`registered shard ${name}`);
}

if (database) {
  check(db.adminCommand({ enableSharding: database }), `enableSharding ${database}`);
  print(`database ${database} is enabled for sharding`);
}
