import { describe, expect, it } from 'vitest';
import { commandNames } from '../../../src/cli/commands/index.js';
import { kubectlLikeCommands } from '../../../src/cli/commands/kubectl-like.js';
import { KUBECTL_LIKE_COMMANDS, route } from '../../../src/cli/start/route.js';

describe('the front door picks the bundle a command line needs', () => {
  it.each([
    [['--version'], 'version'],
    [['--version', '--debug'], 'fast'],
    [['--help'], 'fast'],
    [[], 'fast'],
    [['get', 'pods', '-A'], 'fast'],
    [['--debug', 'delete', 'pod', 'x'], 'fast'],
    [['--home', '/tmp/h', 'wait', 'deploy/web'], 'fast'],
    [['apply', '-f', 'x.yaml'], 'fast'],
    [['status'], 'full'],
    [['help', 'get'], 'full'],
    [['aply'], 'full'],
  ])('%j runs from %s', (argv, bundle) => {
    expect(route(argv)).toBe(bundle);
  });

  it('the fast bundle holds exactly the kubectl-like commands, each a command of the CLI', () => {
    expect(kubectlLikeCommands.names).toEqual([...KUBECTL_LIKE_COMMANDS]);
    for (const name of KUBECTL_LIKE_COMMANDS) expect(commandNames).toContain(name);
  });
});
