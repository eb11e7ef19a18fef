import { computeStatus, type KubeClient } from '../kube/index.js';
import { UserError } from '../errors/index.js';
import type { ObjectRef } from '../kube/types.js';

export interface GateOptions {
  timeoutMs: number;
  signal: AbortSignal;
  onPending: (message: string) => void;
}

/**
 * Waits on watches until every workload is Current by the kstatus rules; a failed Job ends the wait at once.
 * Settles as soon as the signal aborts, and leaves no timer or watch behind.
 */
export async function waitForGates(
  client: KubeClient,
  refs: readonly ObjectRef[],
  options: GateOptions,
): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  options.signal.addEventListener('abort', stop, { once: true });
  const states = new Map(refs.map((r) => [key(r), `${r.kind.toLowerCase()}/${r.name}: not observed yet`]));
  const report = (): void => {
    const first = [...states.values()].find((s) => s !== 'ready');
    if (first) options.onPending(`waiting for ${first}`);
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const watches = refs.map(
      (ref) =>
        new Promise<void>((resolve, reject) => {
          client
            .watch(
              { apiVersion: ref.apiVersion, kind: ref.kind },
              {
                ...(ref.namespace ? { namespace: ref.namespace } : {}),
                fieldSelector: `metadata.name=${ref.name}`,
                signal: controller.signal,
              },
              (_update, store) => {
                const obj = store.get(`${ref.namespace ?? ''}/${ref.name}`);
                if (!obj) return false;
                const status = computeStatus(obj);
                const name = `${ref.kind.toLowerCase()}/${ref.name}`;
                if (status.status === 'Current') {
                  states.set(key(ref), 'ready');
                  report();
                  resolve();
                  return true;
                }
                states.set(key(ref), `${name}: ${status.message}`);
                report();
                if (status.status === 'Failed' && ref.kind === 'Job') {
                  reject(
                    new UserError(
                      `${name} in namespace ${ref.namespace ?? ''} failed: ${status.message}`,
                      jobHint(ref),
                    ),
                  );
                  return true;
                }
                return false;
              },
            )
            .then(() => {
              if (controller.signal.aborted) reject(abortReason(options.signal));
            }, reject);
        }),
    );
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const pending = [...states.values()].filter((s) => s !== 'ready');
        reject(
          new UserError(
            `not Ready after ${Math.round(options.timeoutMs / 1000)}s: ${pending.join('; ')}`,
            'look at the pods and events (kubectl get pods,events -n NAMESPACE); raise --timeout if it is only slow',
          ),
        );
      }, options.timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => {
        reject(abortReason(options.signal));
      });
    });
    await Promise.race([Promise.all(watches), timeout, aborted]);
  } finally {
    clearTimeout(timer);
    controller.abort();
    options.signal.removeEventListener('abort', stop);
  }
}

function key(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function jobHint(ref: ObjectRef): string {
  return `read its logs: kubectl logs -n ${ref.namespace ?? 'default'} job/${ref.name}`;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
