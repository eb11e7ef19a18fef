/** Where and as whom cncfdemo talks to AWS: shared by doctor and the aws provider. */
export interface AwsSettings {
  region?: string;
  /** An endpoint for every service (an emulator on loopback); else `AWS_ENDPOINT_URL` from env, else AWS. */
  endpoint?: string;
  env: NodeJS.ProcessEnv;
}

/** The region as the SDK would pick it from the settings and env (the profile's region aside). */
export function settingsRegion(settings: AwsSettings): string | undefined {
  return settings.region ?? settings.env.AWS_REGION ?? settings.env.AWS_DEFAULT_REGION;
}

export function settingsEndpoint(settings: AwsSettings): string | undefined {
  return settings.endpoint ?? settings.env.AWS_ENDPOINT_URL;
}
