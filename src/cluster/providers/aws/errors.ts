import { UserError } from '../../../errors/index.js';

/** The SDK's error name (`NoSuchEntity`, `DependencyViolation`, ...) or Node's error code. */
export function awsErrorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const e = err as { name?: unknown; code?: unknown; Code?: unknown };
  for (const v of [e.Code, e.name, e.code]) if (typeof v === 'string' && v !== 'Error') return v;
  return '';
}

export const isAwsError = (err: unknown, ...names: string[]): boolean => {
  const name = awsErrorName(err);
  return names.some((n) => name === n || name.startsWith(`${n}.`));
};

const UNREACHABLE = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'TimeoutError'];

/** A failure the user can fix (no credentials, an endpoint that does not answer) as a one-line UserError. */
export function explainAwsError(err: unknown, where: string): unknown {
  const name = awsErrorName(err);
  const message = err instanceof Error ? err.message : String(err);
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message)) {
    return new UserError(
      'no AWS credentials found',
      'set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the SDK credential chain)',
    );
  }
  if (UNREACHABLE.includes(name) || UNREACHABLE.includes(awsErrorName(cause))) {
    return new UserError(
      `the AWS API at ${where} does not answer (${name || awsErrorName(cause)})`,
      'check --aws-endpoint / AWS_ENDPOINT_URL and the network',
    );
  }
  if (
    ['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AuthFailure'].includes(
      name,
    )
  ) {
    return new UserError(`AWS refused the credentials: ${message}`, 'check AWS_PROFILE / AWS_ACCESS_KEY_ID');
  }
  return err;
}
