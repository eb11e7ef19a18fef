/**
 * The Kubernetes facade for the rest of cncfdemo (stack, benchmark, doctor, CLI): connect through a
 * kubeconfig context, then apply, create, get, list, watch, wait and delete generic objects.
 */
export * from '../kube/index.js';
