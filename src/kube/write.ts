import { UserError } from '../errors/index.js';
import { type KubeContext, type Target, targetOf, withNamespace } from './context.js';
import { ApiError } from './errors.js';
import { resourcePath } from './paths.js';
import { definedBy, planApply, validateShape } from './plan.js';
import { mapPool } from './pool.js';
import { displayName, type KubeObject } from './types.js';

export type DryRun = 'none' | 'client' | 'server';

export interface WriteOptions {
  /** apply: take over fields other managers own (kubectl --force-conflicts). */
  force?: boolean;
  dryRun?: DryRun;
  fieldManager?: string;
  /** Requests in flight at once. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each object is done, in completion order. */
  onResult?: (result: WriteResult) => void;
  /** Describes where an object came from (file and line) for error messages. */
  sourceOf?: (obj: KubeObject) => string | undefined;
  /** Waits for CRDs in the input to be Established before their instances; default true. */
  waitForCrds?: (crds: readonly KubeObject[]) => Promise<void>;
}

export interface WriteResult {
  /** kubectl-style `kind.group/name`. */
  name: string;
  namespace: string | undefined;
  /** What the server returned (or the input, for a client dry run). */
  object: KubeObject;
  action: 'serverside-applied' | 'created';
  dryRun: DryRun;
}

export interface WriteFailure {
  name: string;
  namespace: string | undefined;
  /** Where the object came from (file and line), when known. */
  source?: string | undefined;
  error: Error;
}

/** Some objects failed; the others were written. Carries both. */
export class WriteError extends UserError {
  constructor(
    readonly results: readonly WriteResult[],
    readonly failures: readonly WriteFailure[],
    total: number,
  ) {
    const first = failures[0];
    const describe = (f: WriteFailure): string =>
      `${f.source ? `${f.source}: ` : ''}${f.name}${f.namespace ? ` in namespace ${f.namespace}` : ''}: ${f.error.message}`;
    const message =
      failures.length === 1 && first
        ? describe(first)
        : `${failures.length} of ${total} objects failed: ${failures.map(describe).join('; ')}`;
    super(message, first?.error instanceof UserError ? first.error.hint : undefined);
  }

  /** The API reason of the first failure (AlreadyExists, Invalid, ...), if it came from the server. */
  get reason(): string | undefined {
    const err = this.failures[0]?.error;
    return err instanceof ApiError ? err.reason : undefined;
  }
}

const DEFAULT_CONCURRENCY = 32;

/** Server-side apply of many objects: ordered waves, bounded concurrency, bodies sent exactly as given. */
export function applyObjects(
  ctx: KubeContext,
  objects: readonly KubeObject[],
  options: WriteOptions = {},
): Promise<WriteResult[]> {
  return writeObjects(ctx, objects, options, 'apply');
}

/** Creates objects (POST), failing per object with AlreadyExists like kubectl create. */
export function createObjects(
  ctx: KubeContext,
  objects: readonly KubeObject[],
  options: WriteOptions = {},
): Promise<WriteResult[]> {
  return writeObjects(ctx, objects, options, 'create');
}

async function writeObjects(
  ctx: KubeContext,
  objects: readonly KubeObject[],
  options: WriteOptions,
  mode: 'apply' | 'create',
): Promise<WriteResult[]> {
  objects.forEach((obj, i) => {
    validateShape(obj, options.sourceOf?.(obj) ?? `object ${i + 1}`, mode === 'create');
  });
  const plan = planApply(objects);
  // Resolve every kind now, so a typo fails before anything is written. Instances of CRDs that are
  // part of the input are resolved once those CRDs are served.
  const deferred = plan.rest.filter((obj) => definedBy(obj, plan.crds));
  const targets = new Map<KubeObject, Target>();
  await Promise.all(
    objects
      .filter((obj) => !deferred.includes(obj))
      .map(async (obj) => {
        targets.set(obj, await resolve(ctx, obj, options));
      }),
  );

  const results: WriteResult[] = [];
  const failures: WriteFailure[] = [];
  const wave = async (batch: readonly KubeObject[]): Promise<void> => {
    const settled = await mapPool(batch, options.concurrency ?? DEFAULT_CONCURRENCY, async (obj) => {
      const target = targets.get(obj) ?? (await resolve(ctx, obj, options));
      targets.set(obj, target);
      return writeOne(ctx, obj, target, options, mode);
    });
    settled.forEach((outcome, i) => {
      const obj = batch[i] as KubeObject;
      if (outcome.status === 'fulfilled') {
        results.push(outcome.value);
        options.onResult?.(outcome.value);
      } else {
        const source = options.sourceOf?.(obj);
        const error = outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
        failures.push({
          name: displayName(obj),
          source,
          namespace: targets.get(obj)?.namespace,
          error: annotate(error),
        });
      }
    });
  };

  await wave(plan.prerequisites);
  if (
    plan.crds.length > 0 &&
    options.dryRun !== 'client' &&
    options.dryRun !== 'server' &&
    options.waitForCrds
  ) {
    await options.waitForCrds(plan.crds);
    ctx.discovery.invalidate();
  }
  await wave(plan.access);
  await wave(plan.rest);
  if (failures.length > 0) throw new WriteError(results, failures, objects.length);
  return results;
}

async function resolve(ctx: KubeContext, obj: KubeObject, options: WriteOptions): Promise<Target> {
  try {
    return await targetOf(ctx, obj);
  } catch (err) {
    const source = options.sourceOf?.(obj);
    if (err instanceof UserError && source)
      throw new UserError(`${source}: ${err.message}`, err.hint, err.exitCode);
    throw err;
  }
}

async function writeOne(
  ctx: KubeContext,
  input: KubeObject,
  target: Target,
  options: WriteOptions,
  mode: 'apply' | 'create',
): Promise<WriteResult> {
  const obj = withNamespace(input, target.namespace);
  const dryRun = options.dryRun ?? 'none';
  const action = mode === 'apply' ? 'serverside-applied' : 'created';
  const base = { name: displayName(obj), namespace: target.namespace, action, dryRun } as const;
  if (dryRun === 'client') return { ...base, object: obj };
  const query = {
    fieldManager: options.fieldManager ?? 'cncfdemo',
    fieldValidation: 'Strict',
    dryRun: dryRun === 'server' ? 'All' : undefined,
  };
  const what = `${mode} ${displayName(obj)}`;
  const response =
    mode === 'apply'
      ? await ctx.transport.request(
          {
            method: 'PATCH',
            path: resourcePath(target.info, target.namespace, target.name),
            query: { ...query, force: options.force === true ? true : undefined },
            // JSON is YAML: the apply body goes out exactly as the user wrote it.
            body: JSON.stringify(obj),
            contentType: 'application/apply-patch+yaml',
            signal: options.signal,
          },
          what,
        )
      : await ctx.transport.request(
          {
            method: 'POST',
            path: resourcePath(target.info, target.namespace),
            query,
            body: JSON.stringify(obj),
            signal: options.signal,
          },
          what,
        );
  const object = JSON.parse(response.body) as KubeObject;
  return { ...base, name: displayName(object), object };
}

/** Adds the fix for the common server answers. */
function annotate(error: Error): Error {
  if (!(error instanceof ApiError)) return error;
  const missingNamespace = /namespaces "([^"]+)" not found/.exec(error.message);
  if (error.code === 404 && missingNamespace) {
    return new ApiError(
      error.message,
      error.code,
      error.reason,
      `create namespace ${missingNamespace[1] ?? ''} first (or add a Namespace object to the input), or fix metadata.namespace`,
      error.causes,
    );
  }
  return error;
}
