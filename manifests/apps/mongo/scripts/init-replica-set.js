// Initiates one replica set (mongosh script, run by a one-shot Job against the set's first member).
// The Job is applied together with the set's members, so it first waits for every member to answer. Re-running
// it is safe: an initiated set is only reported. It then waits for the set to elect a primary. Every wait is
// the driver's server selection (retrying DNS and connections up to WAIT_MS): the script does not poll.
//
// Environment: REPLICA_SET (its name), MEMBERS (host:port,...), CONFIG_SERVER ("true" for the config servers),
// WAIT_MS (how long to wait for a member or the primary).
const name = process.env.REPLICA_SET;
const members = process.env.MEMBERS.split(',');
const configsvr = process.env.CONFIG_SERVER === 'true';
const waitMs = Number(process.env.WAIT_MS);

for (const host of members) {
  new Mongo(`mongodb://${host}/admin?directConnection=true&serverSelectionTimeoutMS=${waitMs}`)
    .getDB('admin')
    .runCommand({ ping: 1 });
}

function commandError(result) {
  return result && result.ok !== 1 ? result.codeName || result.errmsg || 'unknown error' : undefined;
}

function isInitiated() {
  try {
    const status = db.adminCommand({ replSetGetStatus: 1 });
    const error = commandError(status);
    if (error === 'NotYetInitialized') return false;
    if (error) throw new Error(`replSetGetStatus failed: ${error}`);
    return true;
  } catch (e) {
    if (e.codeName === 'NotYetInitialized') return false;
    throw e;
  }
}

if (isInitiated()) {
  print(`replica set ${name} is already initiated`);
} else {
  const config = { _id: name, configsvr, members: members.map((host, i) => ({ _id: i, host })) };
  let result;
  try {
    result = db.adminCommand({ replSetInitiate: config });
  } catch (e) {
    result = { ok: 0, codeName: e.codeName, errmsg: e.message };
  }
  const error = commandError(result);
  // AlreadyInitialized: an earlier attempt of this Job got there first.
  if (error && error !== 'AlreadyInitialized') throw new Error(`replSetInitiate ${name} failed: ${error}`);
  print(`replica set ${name} initiated with ${members.length} members`);
}

const set = new Mongo(`mongodb://${members.join(',')}/admin?replicaSet=${name}&serverSelectionTimeoutMS=${waitMs}`);
const hello = set.getDB('admin').runCommand({ hello: 1 });
print(`replica set ${name} has a primary: ${hello.primary}`);
