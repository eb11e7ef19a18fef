import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { Logger } from '../../log/logger.js';
import { noopLogger } from '../../log/logger.js';
import type { RunSample } from '../../events/index.js';
import type { ChaosKill, ChaosRecord } from '../../model/run-record.js';

/** `benchmark --chaos pod-kill[:INTERVAL]`: one pod of the target deleted at once (grace 0) every interval. */
export interface PodKillSpec {
  action: 'pod-kill';
  intervalSeconds: number;
  /** Picks the victims: the same seed and the same pods give the same kills (run.json records it). */
  seed: number;
}

export interface PodKillTarget {
  namespace: string;
  /** The workload whose pods are killed, for messages and the record (e.g. deployment/countly-api). */
  workload: string;
  labelSelector: string;
}

export const RECOVERY_METHOD =
  'recovery: from the delete until the ready pods of the workload (the victim excluded) are as many as before it, seen by a watch of its pods';

/** mulberry32: a small seeded PRNG (reproducible victim choice; Math.random cannot be seeded). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A kill as a live sample: its time and victim (the charts mark it; recovery comes with the record). */
export function killSample(kill: ChaosKill): RunSample {
  return { group: 'kill', name: kill.pod, t: Date.parse(kill.at) / 1000, v: kill.readyBefore };
}

const isReady = (pod: KubeObject): boolean =>
  !pod.metadata.deletionTimestamp &&
  ((pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

/** The pod the next kill takes: the candidates sorted by name, one drawn with the seeded generator. */
export function pickVictim(readyPods: readonly string[], random: () => number): string | undefined {
  const sorted = [...readyPods].sort();
  return sorted[Math.floor(random() * sorted.length)];
}

/**
 * Starts killing: every `intervalSeconds` one ready pod of the target is deleted with grace period 0, and
 * a watch of the target's pods times its recovery. `stop()` ends the kills, gives pending recoveries
 * `recoveryGraceMs` more, and returns what happened.
 */
export function startPodKill(
  client: KubeClient,
  spec: PodKillSpec,
  target: PodKillTarget,
  options: { logger?: Logger; recoveryGraceMs?: number; onKill?: (kill: ChaosKill) => void } = {},
): { stop: () => Promise<ChaosRecord> } {
  const logger = options.logger ?? noopLogger;
  const random = seededRandom(spec.seed);
  const controller = new AbortController();
  const kills: ChaosKill[] = [];
  const recoveries: Promise<void>[] = [];
  const notes = new Set<string>([RECOVERY_METHOD]);

  const killOne = async (): Promise<void> => {
    const pods = await client.list('pods', {
      namespace: target.namespace,
      labelSelector: target.labelSelector,
      signal: controller.signal,
    });
    const ready = pods.filter(isReady).map((p) => p.metadata.name ?? '');
    const victim = pickVictim(ready, random);
    if (!victim) {
      notes.add(`at least one kill was skipped: ${target.workload} had no ready pod at that moment`);
      return;
    }
    const started = Date.now();
    const kill: ChaosKill = {
      at: new Date(started).toISOString(),
      pod: victim,
      readyBefore: ready.length,
      recoveredAt: null,
      recoverySeconds: null,
    };
    kills.push(kill);
    await client.deleteObjects(
      [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: victim, namespace: target.namespace } }],
      { wait: false, gracePeriodSeconds: 0, signal: controller.signal },
    );
    options.onKill?.(kill);
    recoveries.push(waitForRecovery(kill, started));
  };

  const recoveryController = new AbortController();
  const waitForRecovery = (kill: ChaosKill, started: number): Promise<void> =>
    client
      .watch(
        'pods',
        {
          namespace: target.namespace,
          labelSelector: target.labelSelector,
          signal: recoveryController.signal,
        },
        (_update, store) => {
          const ready = [...store.values()].filter((p) => isReady(p) && p.metadata.name !== kill.pod);
          if (ready.length < kill.readyBefore) return false;
          const now = Date.now();
          kill.recoveredAt = new Date(now).toISOString();
          kill.recoverySeconds = Math.round(now - started) / 1000;
          return true;
        },
      )
      .catch((err: unknown) => {
        if (!recoveryController.signal.aborted) logger.debug(`chaos: recovery watch failed: ${String(err)}`);
      });

  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(killOne).catch((err: unknown) => {
      if (controller.signal.aborted) return;
      notes.add(`a kill failed: ${String(err).split('\n')[0] ?? ''}`);
    });
  }, spec.intervalSeconds * 1000);

  return {
    stop: async () => {
      clearInterval(timer);
      controller.abort();
      await inFlight;
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, options.recoveryGraceMs ?? 60_000);
      });
      await Promise.race([Promise.all(recoveries), grace]);
      clearTimeout(graceTimer);
      recoveryController.abort();
      await Promise.all(recoveries);
      if (kills.some((k) => k.recoveredAt === null))
        notes.add('a kill without recoveredAt had not recovered when the run ended');
      return {
        action: spec.action,
        intervalSeconds: spec.intervalSeconds,
        seed: spec.seed,
        target: `${target.namespace}/${target.workload}`,
        kills,
        notes: [...notes],
      };
    },
  };
}
