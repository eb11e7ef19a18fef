/**
 * Readers for the shell-style files daemons take their flags from: /etc/sysconfig/docker
 * (OPTIONS="--selinux-enabled ..."), /etc/default/kubelet (KUBELET_EXTRA_ARGS=...), kubeadm-flags.env,
 * and systemd units (ExecStart=/usr/bin/dockerd ..., Environment="KUBELET_ARGS=...").
 */

/** `KEY=value` assignments of an environment file; quotes removed, comments and blank lines ignored. */
export function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of joinContinuations(text)) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) vars.set(match[1], splitWords(match[2] ?? '').join(' '));
  }
  return vars;
}

/** Splits a command line like a shell would (quotes, backslashes), without expanding anything. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i] ?? '';
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Values of `ExecStart=` and `Environment=` lines of a systemd unit (or drop-in). */
export function parseUnit(text: string): { execStart: string[]; environment: Map<string, string> } {
  const execStart: string[] = [];
  const environment = new Map<string, string>();
  for (const raw of joinContinuations(text)) {
    const line = raw.trim();
    const exec = /^ExecStart\s*=\s*(.*)$/.exec(line);
    if (exec) {
      // An empty ExecStart= in a drop-in resets the command.
      if ((exec[1] ?? '').trim() === '') execStart.length = 0;
      else execStart.push((exec[1] ?? '').replace(/^[-@+!:]+/, ''));
      continue;
    }
    const env = /^Environment\s*=\s*(.*)$/.exec(line);
    if (env) {
      for (const word of splitWords(env[1] ?? '')) {
        const eq = word.indexOf('=');
        if (eq > 0) environment.set(word.slice(0, eq), word.slice(eq + 1));
      }
    }
  }
  return { execStart, environment };
}

/**
 * Long flags of an argument list: `--name=value`, `--name value`, or `--name` alone ("true").
 * Repeated flags keep every value, in order.
 */
export function parseFlags(
  words: readonly string[],
  shortAliases: Record<string, string> = {},
): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    flags.set(name, [...(flags.get(name) ?? []), value]);
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const alias = shortAliases[word];
    const long = alias ? `--${alias}` : word;
    if (!long.startsWith('--')) continue;
    const eq = long.indexOf('=');
    if (eq > 0) {
      add(long.slice(2, eq), long.slice(eq + 1));
      continue;
    }
    const next = words[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      add(long.slice(2), next);
      i++;
    } else {
      add(long.slice(2), 'true');
    }
  }
  return flags;
}

function joinContinuations(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}
