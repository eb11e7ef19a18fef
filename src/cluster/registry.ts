import { UserError } from '../errors/index.js';
import type { Exec } from '../exec/index.js';
import { AwsProvider } from './providers/aws/provider.js';
import { LocalProvider } from './providers/local/provider.js';
import type { ClusterProvider } from './types.js';

export interface ProviderDeps {
  home: string;
  env: NodeJS.ProcessEnv;
  exec?: Exec;
  retainOnFailure?: boolean;
}

const PROVIDERS: Record<string, (deps: ProviderDeps) => ClusterProvider> = {
  local: (deps) => new LocalProvider(deps),
  aws: (deps) => new AwsProvider(deps),
};

export const providerNames = (): string[] => Object.keys(PROVIDERS);

export function getProvider(name: string, deps: ProviderDeps): ClusterProvider {
  const make = PROVIDERS[name];
  if (!make) {
    throw new UserError(`unknown cluster provider "${name}"`, `use one of: ${providerNames().join(', ')}`);
  }
  return make(deps);
}
