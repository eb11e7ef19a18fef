/**
 * What the cluster checks need from a cluster, kept narrow so the checks do not depend on a client
 * library: src/kube/ provides the implementation.
 */
export interface ClusterNode {
  name: string;
  ready: boolean;
  /** Reason/message of the Ready condition when it is not True. */
  readyDetail?: string;
  /** Played by kwok: no kubelet, no containers, no traffic. */
  simulated: boolean;
  kubeletVersion?: string;
}

export interface DeploymentRollout {
  name: string;
  namespace: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** status.observedGeneration has caught up with metadata.generation. */
  observed: boolean;
}

/** A pod that runs a shell script once (a Job); `service` starts an HTTP server Service first. */
export interface ProbeSpec {
  /** Short DNS-label name for the probe's objects. */
  name: string;
  image: string;
  /** Run by `sh -c`; exit 0 means success. `$PROBE_SERVICE_HOST` holds the server's ClusterIP when `service` is set. */
  script: string;
  service?: { image: string; command: string[]; port: number };
  timeoutSeconds: number;
  /** Where the pods may go; default 'real-nodes' keeps them off kwok's simulated nodes. */
  placement?: 'real-nodes' | 'any-node';
}

export interface ProbeOutcome {
  succeeded: boolean;
  /** Why it failed (Job condition, timeout) or what it printed. */
  detail: string;
  logs: string;
}

export interface ClusterReader {
  /** The context and API server, for evidence lines. */
  readonly description: string;
  serverVersion(): Promise<string>;
  listNodes(): Promise<ClusterNode[]>;
  /** Undefined when the Deployment does not exist. */
  getDeployment(namespace: string, name: string): Promise<DeploymentRollout | undefined>;
  /** Runs the probe in a throw-away namespace that is deleted afterwards. */
  runProbe(probe: ProbeSpec, signal?: AbortSignal): Promise<ProbeOutcome>;
}
