/**
 * The demo stack facade: values, render, dry run, start (as a recorded run within a deadline), status,
 * stop and Grafana's address, each connecting like kubectl (--kubeconfig, --context).
 */
import { discoveryCacheDir, homeDir } from '../config/paths.js';
import { Deadline } from '../deadline/index.js';
import { UserError } from '../errors/index.js';
import { EventStream } from '../events/index.js';
import { connect, type KubeClient } from '../kube/index.js';
import { publishCountlyHostname, unpublishHostnames } from './hostname.js';
import type { Logger } from '../log/logger.js';
import { clusterFacts, clusterTarget } from '../stack/cluster.js';
import type { ClusterFacts, StackPlan } from '../stack/plan.js';
import { cachedPlanStack } from '../stack/plan-cache.js';
import { planYaml } from '../stack/render.js';
import { recordRun } from '../report/run-log.js';
import { runPlan, type RunResult } from '../stack/runner.js';
import { readStackSources } from '../stack/sources.js';
import { stackStatus as readStatus, type ComponentStatus } from '../stack/status.js';
import { stopStack as removeStack, type StopResult } from '../stack/stop.js';
import { grafanaAccess as findGrafana, type GrafanaAccess } from '../stack/grafana.js';
import { readUserValues, readValuesSources, resolveValues, type StackValues } from '../stack/values.js';
import type { Values } from '../templates/index.js';

export type { ComponentStatus, GrafanaAccess, RunResult, StackPlan, StackValues, StopResult };

/** How to reach the cluster: like kubectl's --kubeconfig and --context. */
export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/** Where the stack's values come from (defaults: manifests/values.yaml). */
export interface StackValuesOptions {
  valuesFiles?: readonly string[];
  set?: readonly string[];
  /** --domain */
  domain?: string;
  /** --boinc-url */
  boincUrl?: string;
  cwd?: string;
}

export interface StartOptions extends ClusterOptions, StackValuesOptions {
  /** BOINC account key; never printed or rendered. */
  boincAccountKey?: string;
  /** Whole run; default 10 minutes. */
  timeoutMs?: number;
  events?: EventStream;
  signal?: AbortSignal;
  home?: string;
}

export interface StartResult extends RunResult {
  runId: string;
  eventsFile: string;
  plan: StackPlan;
}

export const DEFAULT_START_TIMEOUT_MS = 10 * 60_000;
/** How long stopStack waits for what it deletes to be gone, unless told otherwise. */
export const DEFAULT_STOP_TIMEOUT_MS = 10 * 60_000;

/** Merges and validates the values (before anything touches a cluster): one UserError listing every problem. */
export async function stackValues(options: StackValuesOptions = {}): Promise<StackValues> {
  const overrides: Values = {};
  if (options.domain !== undefined) overrides.domain = options.domain;
  if (options.boincUrl !== undefined) overrides.boinc = { projectUrl: options.boincUrl };
  const layers = await readUserValues({
    ...(options.valuesFiles ? { valuesFiles: options.valuesFiles } : {}),
    ...(options.set ? { set: options.set } : {}),
    overrides,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  return resolveValues(await readValuesSources(), layers);
}

/** Plans the stack without a cluster (or with its facts) and returns the YAML `render` prints. */
export async function renderStack(
  options: StackValuesOptions & { facts?: ClusterFacts; boincAccountKey?: string } = {},
): Promise<{ yaml: string; plan: StackPlan }> {
  const values = await stackValues(options);
  const plan = await cachedPlanStack(await readStackSources(), {
    values,
    ...(options.facts ? { facts: options.facts } : {}),
    ...(options.boincAccountKey ? { boincAccountKey: options.boincAccountKey } : {}),
  });
  return { yaml: planYaml(plan), plan };
}

/** The plan `start` would run on this cluster, as YAML (start --dry-run). */
export async function dryRunStack(options: StartOptions): Promise<{ yaml: string; plan: StackPlan }> {
  const values = await stackValues(options);
  const client = await connectTo(options);
  try {
    return await renderStackWith(values, await clusterFacts(client), options.boincAccountKey);
  } finally {
    client.close();
  }
}

async function renderStackWith(
  values: StackValues,
  facts: ClusterFacts,
  boincAccountKey: string | undefined,
): Promise<{ yaml: string; plan: StackPlan }> {
  const plan = await cachedPlanStack(await readStackSources(), {
    values,
    facts,
    ...(boincAccountKey ? { boincAccountKey } : {}),
  });
  return { yaml: planYaml(plan), plan };
}

/**
 * Deploys the stack: validates values, plans against the cluster's facts, then applies each component as
 * soon as its needs are Ready. Events go to `options.events` and to `<home>/runs/<id>/events.jsonl`.
 */
export async function startStack(options: StartOptions = {}): Promise<StartResult> {
  const deadline = new Deadline(options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  const values = await stackValues(options);
  const sources = await readStackSources();
  const events = options.events ?? new EventStream();
  return recordRun(homeOf(options), 'start', events, async (log) => {
    const client = await connectTo(options, deadline);
    try {
      const plan = await cachedPlanStack(sources, {
        values,
        facts: await clusterFacts(client),
        ...(options.boincAccountKey ? { boincAccountKey: options.boincAccountKey } : {}),
      });
      for (const note of plan.notes) options.logger?.info(`note: ${note}`);
      const result = await runPlan(plan, clusterTarget(client), {
        events,
        timeoutMs: Math.max(deadline.remainingMs(), 1),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (values.domain) {
        await publishCountlyHostname(client, values.domain, values.namespaces.stack, {
          ...(options.home ? { home: options.home } : {}),
          ...(options.env ? { env: options.env } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        });
      }
      return { ...result, runId: log.id, eventsFile: log.eventsFile, plan };
    } finally {
      client.close();
    }
  });
}

function homeOf(options: { env?: NodeJS.ProcessEnv; home?: string }): string {
  return homeDir(options.env ?? process.env, options.home);
}

/** Each component's readiness, read from the cluster: the stack's objects in the namespaces the values name. */
export async function stackStatus(
  options: ClusterOptions & StackValuesOptions = {},
): Promise<ComponentStatus[]> {
  const { namespaces } = await stackValues(options);
  const client = await connectTo(options);
  try {
    return await readStatus(client, await readStackSources(), [namespaces.stack, namespaces.monitoring]);
  } finally {
    client.close();
  }
}

/** Deletes everything cncfdemo created (label managed-by=cncfdemo) and waits until it is gone; recorded as a run. */
export async function stopStack(
  options: ClusterOptions & {
    /** cncfdemo's home: where the cluster's record says which provider published its names. */
    home?: string;
    keepData?: boolean;
    timeoutMs?: number;
    events?: EventStream;
    signal?: AbortSignal;
  } = {},
): Promise<StopResult & { runId: string }> {
  const deadline = new Deadline(options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  const events = options.events ?? new EventStream();
  return recordRun(homeOf(options), 'stop', events, async (log) => {
    const client = await connectTo(options, deadline);
    try {
      const result = await removeStack(client, {
        keepData: options.keepData === true,
        timeoutMs: Math.max(deadline.remainingMs(), 1),
        events,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      await unpublishHostnames(client, {
        ...(options.home ? { home: options.home } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
      return { ...result, runId: log.id };
    } finally {
      client.close();
    }
  });
}

/** Where Grafana is and how to read its admin password (the password itself is never returned). */
export async function grafanaAccess(
  options: ClusterOptions & StackValuesOptions = {},
): Promise<GrafanaAccess> {
  const { namespaces } = await stackValues(options);
  const client = await connectTo(options);
  try {
    return await findGrafana(client, options.context ?? client.contextName, namespaces.monitoring);
  } finally {
    client.close();
  }
}

async function connectTo(options: ClusterOptions, deadline?: Deadline): Promise<KubeClient> {
  try {
    return await connect({
      ...(deadline ? { deadline } : {}),
      // start, status and stop are command-line runs too: discovery from disk instead of two requests
      discoveryCache: discoveryCacheDir(options.env),
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context ? { context: options.context } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `cannot connect to the cluster: ${err instanceof Error ? err.message : String(err)}`,
      'create one with `cncfdemo cluster create`, or pass --context',
    );
  }
}
