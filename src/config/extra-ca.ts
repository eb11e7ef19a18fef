/**
 * $NODE_EXTRA_CA_CERTS, read when it is needed rather than at every start. Node.js 20 parses the whole file
 * as it starts (Debian's bundle: ~60 ms, more than the rest of `cncfdemo --help`), although help, --version
 * and the kubectl-like commands open no TLS connection on Node's default roots: a kubeconfig's CA replaces
 * them. For those commands bin/cncfdemo hands the variable on under DEFERRED_EXTRA_CA_VAR instead; this
 * module puts it back for child processes and reads the file for an API server whose kubeconfig has no CA.
 * Every other command starts with the variable as the user set it (DEFERRED_CA_WORDS_FILE says which).
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

/** Where bin/cncfdemo moves NODE_EXTRA_CA_CERTS before Node starts, for the commands below. */
export const DEFERRED_EXTRA_CA_VAR = 'CNCFDEMO_NODE_EXTRA_CA_CERTS';

/**
 * The file (in dist/fast/, written by scripts/build.ts) listing the first words of the command lines that
 * start without NODE_EXTRA_CA_CERTS: `help` and the kubectl-like commands (the fast bundle's). bin/cncfdemo
 * reads it; --help, -h and --version alone are added there.
 */
export const DEFERRED_CA_WORDS_FILE = 'deferred-ca-words';

/**
 * Child processes start with NODE_EXTRA_CA_CERTS as the user set it (credential plugins, tools). The
 * handed-on variable stays: it tells this process (each bundle reads it) that Node did not load the file.
 */
export function restoreExtraCaForChildren(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[DEFERRED_EXTRA_CA_VAR];
  if (file !== undefined) env.NODE_EXTRA_CA_CERTS = file;
}

let deferred: string[] | undefined;

/**
 * The trust anchors for a TLS connection that names no CA of its own when Node started without the
 * user's extra certificates: Node's bundled roots plus those; undefined (Node's default store) otherwise.
 * Like Node at start-up, an unreadable file is a warning, not an error.
 */
export function defaultRootsWithDeferredExtra(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const file = env[DEFERRED_EXTRA_CA_VAR];
  if (file === undefined) return undefined;
  if (deferred === undefined) {
    let extra: string[] = [];
    try {
      extra =
        readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ??
        [];
    } catch (err) {
      process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(err as Error).message}`);
    }
    deferred = [...tls.rootCertificates, ...extra];
  }
  return deferred;
}
