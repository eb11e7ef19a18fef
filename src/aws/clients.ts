/**
 * AWS for cncfdemo: SDK clients from one factory (region, endpoint, credentials from settings.ts), tags,
 * and the EC2 inventory the doctor's security-group check reads.
 */
import type { AwsSettings } from './settings.js';
import { settingsEndpoint, settingsRegion } from './settings.js';

/** The configuration every SDK client of cncfdemo shares. */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts: number;
}

/**
 * The client configuration for the settings. Keys in the given env are used directly (so the library honours
 * the env it is handed, as the CLI and tests pass it); otherwise the SDK's default chain (profiles, SSO,
 * instance roles) applies. Credentials never come from a flag.
 */
export function awsClientConfig(settings: AwsSettings): AwsClientConfig {
  const { env } = settings;
  const region = settingsRegion(settings);
  const endpoint = settingsEndpoint(settings);
  const keyId = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  return {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(keyId && secret
      ? {
          credentials: {
            accessKeyId: keyId,
            secretAccessKey: secret,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
    maxAttempts: 2,
  };
}

/** A client of any AWS SDK v3 service, configured from the settings: `awsClient(EC2Client, settings)`. */
export function awsClient<T>(Client: new (config: AwsClientConfig) => T, settings: AwsSettings): T {
  // The SDK versions are pinned (package.json): its notice about later versions needing a newer Node is
  // noise on a CLI's stderr, where errors must stay one line.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new Client(awsClientConfig(settings));
}
