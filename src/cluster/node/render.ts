import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../config/paths.js';
import { renderTemplateFile } from '../../templates/index.js';

/** The node artefacts' data: manifests/node/ (templates, units, drop-ins and their index node.yaml). */
export const NODE_ARTEFACTS_DIR = join(packageRoot, 'manifests', 'node');

export type NodeRole = 'master' | 'minion';
export const NODE_ROLES: readonly NodeRole[] = ['master', 'minion'];

/** What a node's artefacts depend on; everything else is in manifests/node/. */
export interface NodeValues {
  provider: 'aws' | 'metal';
  cluster: string;
  /** The masters' stable name every node joins through (`masters.<cluster>.k8s` on AWS). */
  apiHost: string;
  /** Where users reach the API (the load balancer's name); in the serving certificate too. */
  userApiHost: string;
  /** Extra names in the API server's certificate. */
  certSans: string[];
  /** Kubernetes minor (`1.34`): the package repository the node installs kubelet and kubeadm from. */
  kubernetesMinor: string;
  /** Where the node reads the cluster's secrets: an SSM path on aws, a root-only directory on metal. */
  secretsPath: string;
  /** aws: the region of the SSM parameters. */
  region?: string;
  /**
   * metal: this host's address from the inventory, which the kubelet and (on a master) the API server
   * advertise. Without it the node script uses the source address of its default route.
   */
  nodeAddress?: string;
}

interface IndexFile {
  path: string;
  template: string;
  permissions?: string;
  /** A drop-in for that role's units. */
  role?: NodeRole;
}

interface NodeIndex {
  roles: Record<NodeRole, string>;
  files: IndexFile[];
  parts: { name: string; template: string; contentType: string }[];
  flannelManifest: string;
  podSubnet: string;
}

export interface RenderedFile {
  path: string;
  permissions: string;
  content: string;
}

export interface UserDataPart {
  name: string;
  contentType: string;
  content: string;
}

export interface NodeArtefacts {
  role: NodeRole;
  roleFile: string;
  /** The files written to every node (units, drop-ins, the bootstrap script), rendered. */
  files: RenderedFile[];
  /** The user-data parts, before assembly (each one validates on its own). */
  parts: UserDataPart[];
  /** The parts as one MIME multipart document: the instance's user-data. */
  userData: string;
}

async function loadIndex(dir: string): Promise<NodeIndex> {
  const doc = parse(await readFile(join(dir, 'node.yaml'), 'utf8')) as NodeIndex & { kind?: string };
  if (doc.kind !== 'NodeArtefacts') throw new Error(`${join(dir, 'node.yaml')} is not NodeArtefacts`);
  return doc;
}

/** Renders one role's artefacts: the same files for every role, a role file, and the user-data around them. */
export async function renderNodeArtefacts(
  role: NodeRole,
  values: NodeValues,
  dir = NODE_ARTEFACTS_DIR,
): Promise<NodeArtefacts> {
  const index = await loadIndex(dir);
  const common = {
    ...values,
    role,
    roleFile: index.roles[role],
    flannelManifest: index.flannelManifest,
    podSubnet: index.podSubnet,
  };
  const files = await Promise.all(
    index.files.map(async (f) => ({
      path: f.path,
      permissions: f.permissions ?? '0644',
      content: withFinalNewline(
        await renderTemplateFile(join(dir, f.template), {
          values: {
            ...common,
            ...(f.role ? { unitRole: f.role, roleFile: index.roles[f.role] } : {}),
          },
        }),
      ),
    })),
  );
  const parts = await Promise.all(
    index.parts.map(async (p) => ({
      name: p.name,
      contentType: p.contentType,
      content: await renderTemplateFile(join(dir, p.template), {
        values: {
          ...common,
          roleFileContent: `# cncfdemo: this machine is a ${role} of cluster ${values.cluster}\nCLUSTER=${values.cluster}\n`,
          files,
        },
      }),
    })),
  );
  return { role, roleFile: index.roles[role], files, parts, userData: mimeMultipart(parts) };
}

const withFinalNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/**
 * cloud-init's multipart user-data (what `cloud-init devel make-mime` writes). The boundary is fixed so
 * the same input renders the same bytes (a launch template is left alone when nothing changed); it cannot
 * collide with content, which is checked.
 */
export function mimeMultipart(parts: readonly UserDataPart[]): string {
  const boundary = '==cncfdemo-user-data==';
  for (const p of parts) {
    if (p.content.includes(boundary)) throw new Error(`user-data part ${p.name} contains the MIME boundary`);
  }
  const body = parts
    .map(
      (p) =>
        `--${boundary}\nContent-Type: ${p.contentType}; charset="utf-8"\nMIME-Version: 1.0\n` +
        `Content-Transfer-Encoding: 7bit\nContent-Disposition: attachment; filename="${p.name}"\n\n${p.content}\n`,
    )
    .join('');
  return `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n\n${body}--${boundary}--\n`;
}
