/**
 * The trust anchors of Node's default TLS roots, read when a connection uses them rather than at every
 * start. Node.js 20 pays for them in every process that opens TLS, whether a connection uses them or not:
 * it parses $NODE_EXTRA_CA_CERTS as it starts (~35-60 ms for Debian's bundle), and the first TLS context,
 * even one given its own CA, parses all ~140 bundled roots (~20 ms) to build a store it then does not
 * use. Help, --version and the kubectl-like commands open TLS only to the API server, whose kubeconfig
 * CA replaces the default roots. So bin/cncfdemo starts those with `--use-openssl-ca`,
 * SSL_CERT_FILE=/dev/null (an empty default store) and NODE_EXTRA_CA_CERTS moved aside, and says so in
 * DEFERRED_CA_MARKER; this module gives a connection without a CA of its own what Node would have
 * (the bundled roots and the user's extra certificates), and puts the user's variables back for child
 * processes (settleDeferredCa). Every other command, or any when NODE_OPTIONS picks a CA store, starts
 * as the user set it.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { errorMessage } from '../errors/index.js';

/** Set by bin/cncfdemo when it started Node with the default roots deferred (the variables below). */
export const DEFERRED_CA_MARKER = 'CNCFDEMO_DEFERRED_CA';
/** The user's NODE_EXTRA_CA_CERTS and SSL_CERT_FILE, when set, while Node runs without them. */
const USER_VARIABLES = {
  NODE_EXTRA_CA_CERTS: 'CNCFDEMO_NODE_EXTRA_CA_CERTS',
  SSL_CERT_FILE: 'CNCFDEMO_SSL_CERT_FILE',
} as const;

/**
 * The file (in dist/fast/, written by scripts/build.ts) listing the first words of the command lines
 * started with the default roots deferred: `help` and the kubectl-like commands (the fast bundle's).
 * bin/cncfdemo reads it; --help, -h and --version alone are added there.
 */
export const DEFERRED_CA_WORDS_FILE = 'deferred-ca-words';

/**
 * Before a command that may open TLS or start processes: builds Node's default store now, while
 * SSL_CERT_FILE is still the empty one (OpenSSL reads it when the store is first built, ~1 ms so), then
 * gives child processes (credential plugins, tools) NODE_EXTRA_CA_CERTS and SSL_CERT_FILE as the user set
 * them. The marker stays: it tells each bundle of this process how Node was started.
 */
export function settleDeferredCa(env: NodeJS.ProcessEnv = process.env): void {
  if (env[DEFERRED_CA_MARKER] === undefined) return;
  tls.createSecureContext();
  for (const [name, saved] of Object.entries(USER_VARIABLES)) {
    if (env[saved] === undefined) Reflect.deleteProperty(env, name);
    else env[name] = env[saved];
  }
}

let deferred: string[] | undefined;

/**
 * What a TLS connection that names no CA of its own trusts: undefined (Node's default store) when Node
 * started as usual; when bin/cncfdemo deferred the roots, what that store would have held: the bundled
 * roots and the user's extra certificates. Like Node at start-up, an unreadable file is a warning.
 */
export function defaultRoots(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (env[DEFERRED_CA_MARKER] === undefined) return undefined;
  if (deferred === undefined) {
    const file = env[USER_VARIABLES.NODE_EXTRA_CA_CERTS];
    let extra: string[] = [];
    if (file !== undefined) {
      try {
        extra =
          readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ??
          [];
      } catch (err) {
        process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${errorMessage(err)}`);
      }
    }
    deferred = [...tls.rootCertificates, ...extra];
  }
  return deferred;
}
