/**
 * Network namespaces for queue workers (`ip netns`, root only): each namespace has its own loopback and one veth
 * link to the host, `10.<a>.<i>.2` inside and `10.<a>.<i>.1` on the host, and nothing else, so a worker started
 * in it reaches the queue (Redis listening on the host address) and the shared folder (the file system is not
 * namespaced) and no other service of the machine.
 */
import { spawnSync } from 'node:child_process';

/** One namespace and its link. */
export interface WorkerNamespace {
  readonly name: string;
  /** The host end's address: where Redis must listen for this namespace. */
  readonly hostAddress: string;
  /** The command prefix that runs a program inside it. */
  readonly exec: readonly string[];
}

function ip(args: readonly string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `ip ${args.join(' ')}: ${r.stderr.length > 0 ? r.stderr : (r.error?.message ?? 'failed')}`,
    );
}

/**
 * Creates `count` namespaces, or none when this process may not (not root, no `ip`, no CAP_NET_ADMIN).
 * @returns the namespaces and `remove` (deletes them and their links), or the reason there are none
 */
export function createWorkerNamespaces(
  count: number,
): { namespaces: WorkerNamespace[]; remove: () => void } | { reason: string } {
  const tag = process.pid % 10_000;
  const a = 200 + (process.pid % 50);
  const namespaces: WorkerNamespace[] = [];
  const remove = (): void => {
    for (const ns of namespaces) {
      spawnSync('ip', ['link', 'del', `gsh${tag}x${namespaces.indexOf(ns)}`]);
      spawnSync('ip', ['netns', 'del', ns.name]);
    }
  };
  try {
    for (let i = 0; i < count; i++) {
      const name = `gradeshift-${tag}-w${i}`;
      const host = `gsh${tag}x${i}`;
      const inner = `gsn${tag}x${i}`;
      const hostAddress = `10.${a}.${i}.1`;
      ip(['netns', 'add', name]);
      namespaces.push({ name, hostAddress, exec: ['ip', 'netns', 'exec', name] });
      ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', inner]);
      ip(['link', 'set', inner, 'netns', name]);
      ip(['addr', 'add', `${hostAddress}/30`, 'dev', host]);
      ip(['link', 'set', host, 'up']);
      ip(['netns', 'exec', name, 'ip', 'addr', 'add', `10.${a}.${i}.2/30`, 'dev', inner]);
      ip(['netns', 'exec', name, 'ip', 'link', 'set', inner, 'up']);
      ip(['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
    }
    return { namespaces, remove };
  } catch (error) {
    remove();
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}
