import { describe, expect, it } from 'vitest';
import { logSummary } from './log-summary.js';

describe('logSummary', () => {
  it('quotes a Go panic by its message, not the stack frames after it', () => {
    const log = [
      'I1203 16:12:01.000001       1 serving.go:374] Generated self-signed cert',
      'panic: failed to create listener: failed to listen on 127.0.0.1:32328: listen tcp 127.0.0.1:32328: bind: address already in use',
      '',
      'goroutine 1 [running]:',
      'main.main()',
      '\tsigs.k8s.io/metrics-server@v0.8.0/cmd/metrics-server/metrics-server.go:37 +0x88',
    ].join('\n');
    expect(logSummary(log)).toBe(
      'panic: failed to create listener: failed to listen on 127.0.0.1:32328: listen tcp 127.0.0.1:32328: bind: address already in use',
    );
  });

  it('quotes the last klog error near the end', () => {
    const log = [
      'I1203 16:12:01.000001 1 a.go:1] starting',
      'E1203 16:12:02.000001 1 b.go:2] unable to load configmap',
      'I1203 16:12:02.000002 1 c.go:3] shutting down',
    ].join('\n');
    expect(logSummary(log)).toBe('E1203 16:12:02.000001 1 b.go:2] unable to load configmap');
  });

  it('otherwise quotes the last lines', () => {
    expect(logSummary('one\ntwo\nthree\nfour\n')).toBe('two | three | four');
    expect(logSummary('')).toBe('');
  });
});
