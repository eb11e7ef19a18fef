import { UserError } from '../errors/index.js';
import type { Exec } from '../exec/index.js';
import type { ClusterProvider } from './types.js';

export interface ProviderDeps {
  home: string;
  env: NodeJS.ProcessEnv;
  exec?: Exec;
  retainOnFailure?: boolean;
}

/** Loaded on first use: a command pays only for the providers it touches (the AWS SDK is large). */
const PROVIDERS: Record<string, (deps: ProviderDeps) => Promise<ClusterProvider>> = {
  local: async (deps) => new (await import('./providers/local/provider.js')).LocalProvider(deps),
  aws: async (deps) => new (await import('./providers/aws/provider.js')).AwsProvider(deps),
  metal: async (deps) => new (await import('./providers/metal/provider.js')).MetalProvider(deps),
};

export const providerNames = (): string[] => Object.keys(PROVIDERS);

export async function getProvider(name: string, deps: ProviderDeps): Promise<ClusterProvider> {
  const make = PROVIDERS[name];
  if (!make) {
    throw new UserError(`unknown cluster provider "${name}"`, `use one of: ${providerNames().join(', ')}`);
  }
  return make(deps);
}
