import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { spawn } from 'node:child_process';
import type { Authenticator } from '@kubernetes/client-node/dist/auth.js';
import { formatDuration, type Deadline } from '../deadline/index.js';
import { errorMessage, UserError } from '../errors/index.js';
import { defaultRoots } from '../config/ca-roots.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';

export interface Credentials {
  agent: http.Agent;
  headers: Record<string, string>;
}

/**
 * TLS material and headers for the kubeconfig's user, as client-node's KubeConfig.applyToHTTPSOptions
 * computes them: certificate files or data, bearer token or basic auth, impersonation, and client-node's
 * own authenticators for exec plugins and auth providers (loaded only for users that need them).
 */
export class CredentialSource {
  #authenticators: Promise<Authenticator[]> | undefined;

  constructor(
    private readonly kubeconfig: ResolvedKubeconfig,
    private readonly maxSockets: number,
    private readonly deadline?: Deadline,
  ) {}

  /** Exec plugins and auth providers can hand out fresh credentials after a 401. */
  get refreshable(): boolean {
    const user = this.kubeconfig.user;
    return Boolean(user.exec || user.authProvider);
  }

  async resolve(): Promise<Credentials> {
    const { cluster, user } = this.kubeconfig;
    const server = new URL(cluster.server);
    const opts: https.RequestOptions = { headers: {} };
    try {
      const ca = material(cluster.caFile, cluster.caData);
      const cert = material(user.certFile, user.certData);
      const key = material(user.keyFile, user.keyData);
      if (ca) opts.ca = ca;
      if (cert) opts.cert = cert;
      if (key) opts.key = key;
      if (user.impersonateUser) headers(opts)['Impersonate-User'] = user.impersonateUser;
      if (user.exec || user.authProvider) {
        const authenticator = (await this.#loadAuthenticators()).find((a) => a.isAuthProvider(user));
        await authenticator?.applyAuthentication(user, opts);
      }
      if (user.token) headers(opts).Authorization = `Bearer ${user.token}`;
      if (user.username) {
        headers(opts).Authorization =
          `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
      }
    } catch (err) {
      throw this.#pluginTimedOut(err) ?? credentialError(err, this.kubeconfig);
    }
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') flat[name] = String(value);
    }
    return { agent: await this.#agent(server, opts), headers: flat };
  }

  async #agent(server: URL, opts: https.RequestOptions): Promise<http.Agent> {
    const { cluster } = this.kubeconfig;
    if (cluster.proxyUrl) {
      // Proxies (HTTP CONNECT, SOCKS): client-node builds the agent; only such users pay for loading it.
      const { KubeConfig } = await import('@kubernetes/client-node');
      const config = new KubeConfig();
      config.loadFromClusterAndUser(cluster, this.kubeconfig.user);
      const proxied: https.RequestOptions = {};
      await config.applyToHTTPSOptions(proxied);
      if (proxied.agent instanceof http.Agent) return proxied.agent;
    }
    if (server.protocol === 'http:') return new http.Agent({ keepAlive: true, maxSockets: this.maxSockets });
    let secureContext: tls.SecureContext;
    try {
      // One TLS context for every connection: given ca/cert/key instead, each new socket parses them again.
      // No CA in the kubeconfig: Node's default roots (config/ca-roots.ts: bin/cncfdemo may defer them).
      let ca = opts.ca;
      if (!ca) ca = defaultRoots();
      secureContext = tls.createSecureContext({
        ...(ca ? { ca } : {}),
        ...(opts.cert ? { cert: opts.cert } : {}),
        ...(opts.key ? { key: opts.key } : {}),
      });
    } catch (err) {
      throw credentialError(err, this.kubeconfig);
    }
    return new https.Agent({
      keepAlive: true,
      maxSockets: this.maxSockets,
      // Only the kubeconfig may turn verification off, never the environment (NODE_TLS_REJECT_UNAUTHORIZED).
      rejectUnauthorized: !cluster.skipTLSVerify,
      secureContext,
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    });
  }

  /** The plugin was killed at its deadline: say so instead of client-node's empty error. */
  #pluginTimedOut(err: unknown): UserError | undefined {
    if ((err as { code?: string }).code !== 'ABORT_ERR') return undefined;
    const { user, contextName } = this.kubeconfig;
    const exec = user.exec as { command?: unknown } | undefined; // client-node types it as any
    const command = typeof exec?.command === 'string' ? exec.command : 'the auth provider';
    return new UserError(
      `the exec credential plugin "${command}" of user "${user.name}" (context "${contextName}") did not answer within ${formatDuration(this.#pluginLimitMs)} and was stopped`,
      'run the plugin by hand to see why it hangs (a login prompt, a network call), or raise --timeout',
    );
  }

  /** The time the last plugin run was given: the rest of the deadline, at most EXEC_PLUGIN_TIMEOUT_MS. */
  #pluginLimitMs = EXEC_PLUGIN_TIMEOUT_MS;

  /** One set per client, so exec plugin credentials are cached for its life (client-node caches per instance). */
  #loadAuthenticators(): Promise<Authenticator[]> {
    this.#authenticators ??= Promise.all([
      import('@kubernetes/client-node/dist/exec_auth.js').then((m) => {
        const auth = new m.ExecAuth();
        // client-node waits for the plugin for ever; it is killed at the deadline instead.
        (auth as unknown as { execFn: typeof spawn }).execFn = ((
          command: string,
          args: readonly string[],
          options: Parameters<typeof spawn>[2],
        ) => {
          const remaining = this.deadline?.remainingMs() ?? EXEC_PLUGIN_TIMEOUT_MS;
          this.#pluginLimitMs = Math.max(1, Math.min(EXEC_PLUGIN_TIMEOUT_MS, remaining));
          return spawn(command, args, {
            ...options,
            signal: AbortSignal.timeout(this.#pluginLimitMs),
            killSignal: 'SIGKILL',
          });
        }) as typeof spawn;
        return auth;
      }),
      import('@kubernetes/client-node/dist/file_auth.js').then((m) => new m.FileAuth()),
      import('@kubernetes/client-node/dist/oidc_auth.js').then((m) => new m.OpenIDConnectAuth()),
      import('@kubernetes/client-node/dist/azure_auth.js').then((m) => new m.AzureAuth()),
      import('@kubernetes/client-node/dist/gcp_auth.js').then((m) => new m.GoogleCloudPlatformAuth()),
    ]);
    return this.#authenticators;
  }
}

/** How long an exec credential plugin may take when the command has no deadline of its own. */
const EXEC_PLUGIN_TIMEOUT_MS = 60_000;

function headers(opts: https.RequestOptions): Record<string, string> {
  opts.headers ??= {};
  return opts.headers as Record<string, string>;
}

function material(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

function credentialError(err: unknown, kubeconfig: ResolvedKubeconfig): UserError {
  if (err instanceof UserError) return err;
  const message = errorMessage(err).trim().split('\n')[0] ?? '';
  return new UserError(
    `cannot load the credentials of user "${kubeconfig.user.name}" (context "${kubeconfig.contextName}"): ${message}`,
    'check the client certificate, key, token or exec plugin in the kubeconfig',
  );
}
